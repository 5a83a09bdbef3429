/**
 * Container key of the module that keeps saved cards' sealed tokens out of Medusa's account holders. In its
 * own file so the provider can resolve the module without loading its data model a second time.
 */
export const DINTERO_CARD_VAULT_MODULE = "dinteroCardVault"
