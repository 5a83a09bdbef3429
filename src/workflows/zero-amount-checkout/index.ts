export { authorizeCardVerification, type CartToComplete } from "./authorize-card-verification"
