export * from "./adopt-express-payment"
export * from "./complete-express-checkout"
export * from "./express-callback"
export * from "./sync-express-session"
