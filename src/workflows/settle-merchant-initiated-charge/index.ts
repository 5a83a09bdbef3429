export { settleHeldRenewalStep, type HeldRenewalSettlement } from "./steps/settle-held-renewal"
