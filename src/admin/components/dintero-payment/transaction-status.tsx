import { StatusBadge } from "@medusajs/ui"

type Color = "green" | "orange" | "red" | "blue" | "grey" | "purple"

// Dintero's Transaction.status values (payments spec; reference §5).
const COLORS: Record<string, Color> = {
  INITIATED: "grey",
  ON_HOLD: "orange",
  AUTHORIZED: "blue",
  PARTIALLY_CAPTURED: "purple",
  CAPTURED: "green",
  PARTIALLY_CAPTURED_REFUNDED: "orange",
  PARTIALLY_REFUNDED: "orange",
  REFUNDED: "grey",
  AUTHORIZATION_VOIDED: "grey",
  DECLINED: "red",
  FAILED: "red",
  UNKNOWN: "red",
}

const label = (status: string) => status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ")

export const TransactionStatus = ({ status }: { status: string }) => (
  <StatusBadge color={COLORS[status] ?? "grey"} className="text-nowrap">
    {label(status)}
  </StatusBadge>
)
