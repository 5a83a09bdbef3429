import { ArrowPath, ArrowUturnLeft, CreditCard, EllipsisHorizontal, ForwardSolid, Pause, PencilSquare, PlaySolid, XCircle } from "@medusajs/icons"
import { DropdownMenu, IconButton } from "@medusajs/ui"
import { useState } from "react"
import { ChangeCardDrawer } from "./change-card-drawer"
import { ChangePlanDrawer } from "./change-plan-drawer"
import { formatDate, formatMinor, periodAmount } from "./format"
import type { Subscription } from "./types"
import { useRunAction } from "./use-run-action"

/**
 * The actions a merchant's staff can take, each offered only where the server would accept it
 * (modules/subscription/lifecycle.ts) and each behind a confirmation that says what will happen.
 */
export const SubscriptionActions = ({ subscription }: { subscription: Subscription }) => {
  const { run, isPending } = useRunAction(subscription.id)
  const [drawer, setDrawer] = useState<"card" | "plan" | null>(null)
  const { status } = subscription
  const open = status !== "canceled" && status !== "expired"
  const amount = formatMinor(periodAmount(subscription.items), subscription.currency_code)
  const nextSkipped = (subscription.skipped_periods ?? []).some((start) => Date.parse(start) === Date.parse(subscription.current_period_end))
  const skip = () =>
    run(
      { kind: nextSkipped ? "unskip" : "skip" },
      nextSkipped
        ? { title: "Charge the next period?", description: `The period starting ${formatDate(subscription.current_period_end)} is charged as usual (${amount}).`, confirmText: "Take back skip" }
        : {
            title: "Skip the next period?",
            description: `The period starting ${formatDate(subscription.current_period_end)} is not charged and makes no order; renewals go on after it on the usual day.`,
            confirmText: "Skip period",
          },
      nextSkipped ? "Skip taken back" : "Next period skipped"
    )

  const pause = () =>
    run({ kind: "pause" }, { title: "Pause subscription?", description: "Nothing is charged while it is paused. You can resume it any time.", confirmText: "Pause" }, "Subscription paused")
  const resume = () =>
    run(
      { kind: "resume" },
      subscription.cancel_at_period_end && status === "active"
        ? { title: "Keep subscription?", description: "The cancellation at the end of the period is taken back; renewals go on.", confirmText: "Keep subscription" }
        : { title: "Resume subscription?", description: "Renewals start again: the next charge is at the end of the paid period, or at the next renewal date if that has passed.", confirmText: "Resume" },
      "Subscription resumed"
    )
  const cancelNow = () =>
    run(
      { kind: "cancel", at_period_end: false },
      { title: "Cancel now?", description: "The subscription ends now and is never charged again. Nothing already paid is refunded.", confirmText: "Cancel now", variant: "danger" },
      "Subscription canceled"
    )
  const cancelAtEnd = () =>
    run(
      { kind: "cancel", at_period_end: true },
      {
        title: "Cancel at period end?",
        description: `The customer keeps the paid period; the subscription ends on ${formatDate(subscription.current_period_end)} instead of renewing.`,
        confirmText: "Cancel at period end",
      },
      "Subscription will end at period end"
    )
  const chargeNow = () =>
    run(
      { kind: "charge" },
      {
        title: "Charge now?",
        description:
          status === "past_due"
            ? `The failed period is retried now on the saved card (${amount}).`
            : `The next period is renewed now: the saved card is charged ${amount} and a renewal order is created.`,
        confirmText: "Charge now",
      },
      "Charged"
    )

  return (
    <>
      <DropdownMenu>
        <DropdownMenu.Trigger asChild>
          <IconButton size="small" variant="transparent" disabled={isPending} aria-label="Subscription actions">
            <EllipsisHorizontal />
          </IconButton>
        </DropdownMenu.Trigger>
        <DropdownMenu.Content align="end">
          {status === "active" || status === "past_due" ? (
            <DropdownMenu.Item className="gap-x-2" onClick={chargeNow}>
              <ArrowPath className="text-ui-fg-subtle" />
              Charge now
            </DropdownMenu.Item>
          ) : null}
          {open ? (
            <DropdownMenu.Item className="gap-x-2" onClick={() => setDrawer("card")}>
              <CreditCard className="text-ui-fg-subtle" />
              Change card
            </DropdownMenu.Item>
          ) : null}
          {open ? (
            <DropdownMenu.Item className="gap-x-2" onClick={() => setDrawer("plan")}>
              <PencilSquare className="text-ui-fg-subtle" />
              Change plan
            </DropdownMenu.Item>
          ) : null}
          {status === "active" || status === "paused" ? <DropdownMenu.Separator /> : null}
          {status === "active" ? (
            <DropdownMenu.Item className="gap-x-2" onClick={pause}>
              <Pause className="text-ui-fg-subtle" />
              Pause
            </DropdownMenu.Item>
          ) : null}
          {status === "active" && !subscription.cancel_at_period_end ? (
            <DropdownMenu.Item className="gap-x-2" onClick={skip}>
              {nextSkipped ? <ArrowUturnLeft className="text-ui-fg-subtle" /> : <ForwardSolid className="text-ui-fg-subtle" />}
              {nextSkipped ? "Take back skip" : "Skip next period"}
            </DropdownMenu.Item>
          ) : null}
          {status === "paused" || (status === "active" && subscription.cancel_at_period_end) ? (
            <DropdownMenu.Item className="gap-x-2" onClick={resume}>
              <PlaySolid className="text-ui-fg-subtle" />
              {status === "paused" ? "Resume" : "Keep subscription"}
            </DropdownMenu.Item>
          ) : null}
          {open ? <DropdownMenu.Separator /> : null}
          {status === "active" && !subscription.cancel_at_period_end ? (
            <DropdownMenu.Item className="gap-x-2" onClick={cancelAtEnd}>
              <XCircle className="text-ui-fg-subtle" />
              Cancel at period end
            </DropdownMenu.Item>
          ) : null}
          {open ? (
            <DropdownMenu.Item className="gap-x-2" onClick={cancelNow}>
              <XCircle className="text-ui-fg-subtle" />
              Cancel now
            </DropdownMenu.Item>
          ) : null}
        </DropdownMenu.Content>
      </DropdownMenu>
      <ChangeCardDrawer subscription={subscription} open={drawer === "card"} onOpenChange={(next) => setDrawer(next ? "card" : null)} />
      <ChangePlanDrawer subscription={subscription} open={drawer === "plan"} onOpenChange={(next) => setDrawer(next ? "plan" : null)} />
    </>
  )
}
