/** Replaced by the admin bundler with the backend URL (Medusa docs, "Admin Development Tips", plugins). */
declare const __BACKEND_URL__: string | undefined
