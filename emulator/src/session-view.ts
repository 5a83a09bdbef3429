/** How a session record is shown through the API (reference §2, `Session` & `SessionRead`). */
import { assertOwnedBy } from "./auth"
import type { EmulatorContext } from "./context"
import { notFound } from "./errors"
import { clone } from "./http"
import { uuid } from "./ids"
import type { JsonObject, SessionEvent, SessionRecord } from "./model"

export const checkoutUrl = (ctx: EmulatorContext, sessionId: string) => `${ctx.url}/v1/view/${sessionId}`

export function findSession(ctx: EmulatorContext, accountId: string | undefined, sessionId: string): SessionRecord {
  assertOwnedBy(accountId, sessionId)
  const session = ctx.state.sessions.get(sessionId)
  if (!session) throw notFound(`Session ${sessionId} not found`)
  return session
}

export function addSessionEvent(
  ctx: EmulatorContext,
  session: SessionRecord,
  name: string,
  extra: { request_id?: string; details?: JsonObject } = {}
): void {
  const event: SessionEvent = { id: uuid(), name, created_at: ctx.nowIso(), ...extra }
  session.events.push(event)
  session.updatedAt = event.created_at
}

export const isSessionExpired = (ctx: EmulatorContext, session: SessionRecord) =>
  Date.parse(session.expiresAt) <= ctx.now().getTime()

export function renderSession(session: SessionRecord): JsonObject {
  const customer = session.customer ? clone(session.customer) : undefined
  if (customer && Object.keys(session.customerTokens).length) {
    // Never echo token values: Dintero shows the id of the stored token only.
    const tokens: JsonObject = {}
    for (const [productType, ref] of Object.entries(session.customerTokens)) {
      tokens[productType] = { [`${ref.field}_id`]: ref.tokenId }
    }
    customer.tokens = tokens
  }
  return clone({
    ...session.extra,
    id: session.id,
    created_at: session.createdAt,
    updated_at: session.updatedAt,
    expires_at: session.expiresAt,
    // The Session read schema has no top-level profile_id; Dintero shows it as metadata["session:profile_id"].
    url: session.url,
    order: session.order,
    ...(customer ? { customer } : {}),
    configuration: session.configuration,
    metadata: {
      ...session.metadata,
      ...(session.profileId ? { "session:profile_id": session.profileId } : {}),
    },
    events: session.events,
    ...(session.transactionId ? { transaction_id: session.transactionId } : {}),
    ...(session.cancelledAt ? { cancelled_at: session.cancelledAt, cancelled_by: session.cancelledBy } : {}),
  })
}
