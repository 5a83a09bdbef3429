export * from "./handle-dintero-callback"
export * from "./saved-cards"
export * from "./subscriptions"
export * from "./release-payment-rest"
