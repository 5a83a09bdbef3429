import type { HttpTypes } from "@medusajs/framework/types"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "./sdk"

/** GET /admin/dintero/payments/:id (src/api/admin/dintero/payments/[id]/route.ts). Money in minor units. */
export type DinteroPaymentPanel = {
  id: string
  provider_id: string
  currency_code: string
  medusa: { amount: number; captured: number; refunded: number; captured_at: string | null; canceled_at: string | null }
  dintero: null | {
    transaction_id: string
    session_id: string | null
    status: string
    payment_method: {
      label: string
      payment_product: string | null
      payment_product_type: string | null
      card: { brand: string | null; masked_pan: string | null; expiry_date: string | null } | null
    }
    amounts: {
      currency: string
      decimals: number
      authorized: number
      captured: number
      refunded: number
      released: number
      capturing: number
      refunding: number
      capturable: number
      refundable: number
    }
    events: Array<{
      id: string | null
      event: string
      amount: number | null
      success: boolean
      reference: string | null
      made_by_medusa: boolean
      transaction_status: string | null
      created_at: string | null
      error: { code: string | null; message: string | null } | null
    }>
    release: { possible: boolean; reason: string | null }
    final_capture: { possible: boolean; reason: string | null }
    partial_capture: boolean
    backoffice: { url: string; environment: "test" | "production" }
  }
}

type Order = Pick<HttpTypes.AdminOrder, "id" | "status"> & {
  payment_collections?: Array<Record<string, any> & { payments?: Array<Record<string, any>> | null }> | null
}

/**
 * The dashboard's order queries live under ["orders", "detail", …] (its queryKeysFactory("orders")), and
 * Medusa's capture and refund buttons invalidate ["orders", "detail"]. Keeping the panel's queries under the
 * same prefix makes them refetch with the order page; the panel's own actions invalidate the same prefix,
 * so Medusa's payment section follows them too.
 */
export const ORDER_DETAIL_KEY = ["orders", "detail"] as const

/**
 * What changes on the order when money moves: Medusa's cancel invalidates only its own exact order key, so
 * the panel's key also carries this, and a refetched order with other payment totals is a new query.
 */
export function paymentsFingerprint(order: Order): string {
  return JSON.stringify([
    order.status,
    (order.payment_collections ?? []).map((collection) => [
      collection.id,
      collection.status,
      collection.captured_amount,
      collection.refunded_amount,
      (collection.payments ?? []).map((payment) => [payment.id, payment.captured_at, payment.canceled_at, payment.refunds?.length ?? 0]),
    ]),
  ])
}

export function dinteroPaymentsOf(order: Order): Array<{ id: string }> {
  return (order.payment_collections ?? [])
    .flatMap((collection) => collection.payments ?? [])
    .filter((payment) => typeof payment.provider_id === "string" && payment.provider_id.startsWith("pp_dintero_"))
    .map((payment) => ({ id: String(payment.id) }))
}

export function useDinteroPayment(order: Order, paymentId: string) {
  return useQuery({
    queryKey: [...ORDER_DETAIL_KEY, order.id, "dintero-payment", paymentId, paymentsFingerprint(order)],
    queryFn: () => sdk.client.fetch<{ payment: DinteroPaymentPanel }>(`/admin/dintero/payments/${paymentId}`),
    select: (data) => data.payment,
    // A new fingerprint is a new query: keep showing the last answer while the fresh one loads.
    placeholderData: keepPreviousData,
  })
}

function useInvalidateOrder() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: ORDER_DETAIL_KEY })
}

/** POST /admin/dintero/payments/:id/capture { amount (major units), final }. */
export function useCaptureDinteroPayment(paymentId: string) {
  const invalidate = useInvalidateOrder()
  return useMutation({
    mutationFn: (body: { amount: number; final: boolean }) =>
      sdk.client.fetch<{ payment: unknown }>(`/admin/dintero/payments/${paymentId}/capture`, { method: "POST", body }),
    onSettled: invalidate,
  })
}

/**
 * Medusa's own POST /admin/payments/:id/refund { amount (major units) }: Medusa records the refund and asks
 * the provider, which refunds at Dintero.
 */
export function useRefundDinteroPayment(paymentId: string) {
  const invalidate = useInvalidateOrder()
  return useMutation({
    mutationFn: (body: { amount: number }) => sdk.admin.payment.refund(paymentId, body),
    onSettled: invalidate,
  })
}

/** POST /admin/dintero/payments/:id/release: the uncaptured rest of a part-captured authorization. */
export function useReleaseDinteroPayment(paymentId: string) {
  const invalidate = useInvalidateOrder()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ payment: unknown }>(`/admin/dintero/payments/${paymentId}/release`, { method: "POST", body: {} }),
    onSettled: invalidate,
  })
}
