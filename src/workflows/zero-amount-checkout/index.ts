export { authorizeCardVerification, mayNeedCardVerification, type CartToComplete } from "./authorize-card-verification"
export { authorizeCardVerificationStep } from "./steps/authorize-card-verification"
export { authorizeCardVerificationWorkflow, authorizeCardVerificationWorkflowId } from "./workflow"
export { authorizeCardVerificationBeforePaymentStep } from "./steps/authorize-card-verification-before-payment"
