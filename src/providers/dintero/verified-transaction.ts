import { AsyncLocalStorage } from "node:async_hooks"
import type { Transaction } from "../../lib/dintero"

/**
 * The transaction a callback has just read back from Dintero, handed to the authorization that callback
 * causes, so that Dintero is asked once per callback and not twice.
 *
 * A callback is never trusted by itself: the provider verifies its signature and reads the transaction from
 * Dintero (callback.ts). Medusa then authorizes the payment session inside processPaymentWorkflow and
 * completeCartWorkflow, which call the provider's authorizePayment with the session's stored data only; the
 * read cannot be passed through them. So the callback's handling runs in a scope of its own
 * (AsyncLocalStorage, one per callback request): the provider notes there what it read, and authorizePayment,
 * when it runs inside that same scope for that same Dintero session, uses it instead of asking Dintero again.
 * Nothing outside the scope sees it: a storefront's completion, another callback, the reconciliation, a
 * second process read Dintero as before. The callback workflow keeps the read only for the payment it is
 * about to complete (no Payment, no order yet, checked under its lock) and drops it otherwise.
 */
type Scope = { transactions: Map<string, Transaction> }

const storage = new AsyncLocalStorage<Scope>()

/** Runs one callback's handling in its own scope. */
export function withCallbackScope<T>(job: () => Promise<T>): Promise<T> {
  return storage.run({ transactions: new Map() }, job)
}

/** What the provider read back from Dintero for this callback (only in a callback's scope). */
export function noteVerifiedTransaction(transaction: Transaction): void {
  if (transaction.session_id) {
    storage.getStore()?.transactions.set(transaction.session_id, transaction)
  }
}

/** The transaction this callback read for the Dintero session, taken once. */
export function takeVerifiedTransaction(dinteroSessionId: string): Transaction | undefined {
  const scope = storage.getStore()
  const transaction = scope?.transactions.get(dinteroSessionId)
  scope?.transactions.delete(dinteroSessionId)
  return transaction
}

/** Forgets what this callback read: what follows reads Dintero again. */
export function forgetVerifiedTransactions(): void {
  storage.getStore()?.transactions.clear()
}
