import path from "path"

/** The repository root: its `medusa-config.ts` registers the Dintero provider from `./src`. */
export const DINTERO_STORE_DIR = path.resolve(__dirname, "../..")

/** A config directory for a store with only `pp_system_default` (no `src/` loaded). */
export const STORE_WITHOUT_DINTERO_DIR = path.join(__dirname, "store-without-dintero")
