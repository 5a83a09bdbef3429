/** Defined by the Medusa admin build of the store the plugin is installed in. */
declare const __BACKEND_URL__: string | undefined
