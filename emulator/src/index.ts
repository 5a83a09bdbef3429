/**
 * Dintero Checkout sandbox emulator: a stateful, local stand-in for Dintero's Checkout API
 * (auth, sessions, hosted checkout, transactions, tokens, merchant-initiated payments, callbacks).
 */
export { startDinteroEmulator, type DinteroEmulator } from "./emulator"
export { DEFAULT_ACCOUNT } from "./context"
export { TEST_CARDS, type TestCard } from "./cards"
export { signatureHeader, signatureHex, type SignatureInput } from "./signature"
export type { Card, JsonObject, OrderItem, SessionOrder, Transaction, TransactionEvent } from "./model"
export type * from "./types"
