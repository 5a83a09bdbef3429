export * from "./handle-dintero-callback"
export * from "./saved-cards"
