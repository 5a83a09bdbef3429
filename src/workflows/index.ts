export * from "./handle-dintero-callback"
