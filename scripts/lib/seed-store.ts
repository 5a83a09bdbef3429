import { ensureOk, type HttpResponse, type StoreHttp } from "./http"

/**
 * Seeds everything a Norwegian checkout needs, through the Admin HTTP API only (so it works the
 * same against the test runner and a running dev store). Each entity is looked up by name first,
 * so calling it again on an already seeded store reuses what is there.
 */

export type SeedStoreOptions = {
  /** Payment providers enabled in the region. */
  paymentProviders?: string[]
  /** Variant price, in major units (NOK). */
  productPrice?: number
  /** Flat shipping price, in major units (NOK). */
  shippingPrice?: number
  /** Default VAT rate for Norway, in percent. */
  taxRate?: number
}

export type SeededStore = {
  regionId: string
  currencyCode: string
  countryCode: string
  paymentProviders: string[]
  taxRegionId: string
  salesChannelId: string
  publishableKey: string
  publishableKeyId: string
  stockLocationId: string
  fulfillmentSetId: string
  serviceZoneId: string
  shippingProfileId: string
  shippingOptionId: string
  productId: string
  variantId: string
  productPrice: number
  shippingPrice: number
  taxRate: number
}

export const DEFAULT_PAYMENT_PROVIDERS = ["pp_dintero_dintero", "pp_system_default"]

const CURRENCY = "nok"
const COUNTRY = "no"
const NAMES = {
  region: "Norway",
  salesChannel: "Dintero test webshop",
  apiKey: "Dintero test webshop key",
  stockLocation: "Oslo warehouse",
  fulfillmentSet: "Oslo warehouse shipping",
  serviceZone: "Norway",
  shippingProfile: "Dintero test shipping profile",
  shippingOption: "Standard shipping (Norway)",
  productHandle: "dintero-test-t-shirt",
}

export async function seedStore(admin: StoreHttp, opts: SeedStoreOptions = {}): Promise<SeededStore> {
  const paymentProviders = opts.paymentProviders ?? DEFAULT_PAYMENT_PROVIDERS
  const productPrice = opts.productPrice ?? 299
  const shippingPrice = opts.shippingPrice ?? 49
  const taxRate = opts.taxRate ?? 25

  const { call, findFirst } = seedCalls(admin)

  // Region: re-set the providers on an existing one so a re-run with other providers takes effect.
  let region = await findFirst("find region", `/admin/regions?name=${enc(NAMES.region)}`, "regions")
  region = region
    ? (await call("update region", admin.post(`/admin/regions/${region.id}`, { payment_providers: paymentProviders }))).region
    : (
        await call(
          "create region",
          admin.post("/admin/regions", {
            name: NAMES.region,
            currency_code: CURRENCY,
            countries: [COUNTRY],
            payment_providers: paymentProviders,
          })
        )
      ).region

  // Tax region: a non-province tax region must name a tax provider; `tp_system` is Medusa's built-in one.
  const countryTaxRegions = (await call("find tax region", admin.get(`/admin/tax-regions?country_code=${COUNTRY}`))).tax_regions
  const taxRegion =
    countryTaxRegions.find((taxRegion: any) => !taxRegion.province_code) ??
    (
      await call(
        "create tax region",
        admin.post("/admin/tax-regions", {
          country_code: COUNTRY,
          provider_id: "tp_system",
          default_tax_rate: { name: "MVA", code: "NO-MVA", rate: taxRate },
        })
      )
    ).tax_region

  const salesChannel =
    (await findFirst("find sales channel", `/admin/sales-channels?name=${enc(NAMES.salesChannel)}`, "sales_channels")) ??
    (await call("create sales channel", admin.post("/admin/sales-channels", { name: NAMES.salesChannel }))).sales_channel

  let apiKey = await findFirst("find publishable key", `/admin/api-keys?title=${enc(NAMES.apiKey)}&type=publishable`, "api_keys")
  if (!apiKey) {
    apiKey = (await call("create publishable key", admin.post("/admin/api-keys", { title: NAMES.apiKey, type: "publishable" }))).api_key
    await call(
      "link publishable key to sales channel",
      admin.post(`/admin/api-keys/${apiKey.id}/sales-channels`, { add: [salesChannel.id] })
    )
  }

  const shippingProfile =
    (await findFirst("find shipping profile", `/admin/shipping-profiles?name=${enc(NAMES.shippingProfile)}`, "shipping_profiles")) ??
    (
      await call(
        "create shipping profile",
        admin.post("/admin/shipping-profiles", { name: NAMES.shippingProfile, type: "default" })
      )
    ).shipping_profile

  const shipping = await seedShipping(admin, {
    salesChannelId: salesChannel.id,
    shippingProfileId: shippingProfile.id,
    shippingPrice,
  })

  const product =
    (await findFirst("find product", `/admin/products?handle=${enc(NAMES.productHandle)}&fields=id,*variants`, "products")) ??
    (
      await call(
        "create product",
        admin.post("/admin/products", {
          title: "Dintero test T-shirt",
          handle: NAMES.productHandle,
          status: "published",
          shipping_profile_id: shippingProfile.id,
          sales_channels: [{ id: salesChannel.id }],
          options: [{ title: "Size", values: ["One size"] }],
          variants: [
            {
              title: "One size",
              sku: "DINTERO-TEST-TSHIRT",
              options: { Size: "One size" },
              prices: [{ currency_code: CURRENCY, amount: productPrice }],
              // No inventory bookkeeping: the tests are about payments, not stock.
              manage_inventory: false,
            },
          ],
        })
      )
    ).product

  return {
    regionId: region.id,
    currencyCode: CURRENCY,
    countryCode: COUNTRY,
    paymentProviders,
    taxRegionId: taxRegion.id,
    salesChannelId: salesChannel.id,
    publishableKey: apiKey.token,
    publishableKeyId: apiKey.id,
    ...shipping,
    shippingProfileId: shippingProfile.id,
    productId: product.id,
    variantId: product.variants[0].id,
    productPrice,
    shippingPrice,
    taxRate,
  }
}

/**
 * Stock location → fulfillment set → service zone (Norway) → flat-rate shipping option. Carts see
 * a shipping option only when its stock location is linked to the cart's sales channel and to the
 * option's fulfillment provider.
 */
async function seedShipping(
  admin: StoreHttp,
  { salesChannelId, shippingProfileId, shippingPrice }: { salesChannelId: string; shippingProfileId: string; shippingPrice: number }
) {
  const { call, findFirst } = seedCalls(admin)
  const nestedFields = "fields=id,*fulfillment_sets,*fulfillment_sets.service_zones,*fulfillment_sets.service_zones.shipping_options"

  let location = await findFirst(
    "find stock location",
    `/admin/stock-locations?name=${enc(NAMES.stockLocation)}&${nestedFields}`,
    "stock_locations"
  )
  if (!location) {
    location = (
      await call(
        "create stock location",
        admin.post("/admin/stock-locations", {
          name: NAMES.stockLocation,
          address: { address_1: "Karl Johans gate 1", city: "Oslo", postal_code: "0154", country_code: COUNTRY },
        })
      )
    ).stock_location
    await call(
      "link stock location to sales channel",
      admin.post(`/admin/stock-locations/${location.id}/sales-channels`, { add: [salesChannelId] })
    )
    await call(
      "link stock location to manual fulfillment provider",
      admin.post(`/admin/stock-locations/${location.id}/fulfillment-providers`, { add: ["manual_manual"] })
    )
  }

  let fulfillmentSet = location.fulfillment_sets?.find((set: any) => set.name === NAMES.fulfillmentSet)
  if (!fulfillmentSet) {
    const updated = (
      await call(
        "create fulfillment set",
        admin.post(`/admin/stock-locations/${location.id}/fulfillment-sets?${nestedFields}`, {
          name: NAMES.fulfillmentSet,
          type: "shipping",
        })
      )
    ).stock_location
    fulfillmentSet = updated.fulfillment_sets.find((set: any) => set.name === NAMES.fulfillmentSet)
  }

  let serviceZone = fulfillmentSet.service_zones?.find((zone: any) => zone.name === NAMES.serviceZone)
  if (!serviceZone) {
    const updated = (
      await call(
        "create service zone",
        admin.post(`/admin/fulfillment-sets/${fulfillmentSet.id}/service-zones`, {
          name: NAMES.serviceZone,
          geo_zones: [{ type: "country", country_code: COUNTRY }],
        })
      )
    ).fulfillment_set
    serviceZone = updated.service_zones.find((zone: any) => zone.name === NAMES.serviceZone)
  }

  const shippingOption =
    serviceZone.shipping_options?.find((option: any) => option.name === NAMES.shippingOption) ??
    (
      await call(
        "create shipping option",
        admin.post("/admin/shipping-options", {
          name: NAMES.shippingOption,
          service_zone_id: serviceZone.id,
          shipping_profile_id: shippingProfileId,
          provider_id: "manual_manual",
          price_type: "flat",
          type: { label: "Standard", description: "Delivered in 2-3 days", code: "standard" },
          prices: [{ currency_code: CURRENCY, amount: shippingPrice }],
          // The rules the admin UI sets (store-visible, not a return option); listing works without them too.
          rules: [
            { attribute: "enabled_in_store", operator: "eq", value: "true" },
            { attribute: "is_return", operator: "eq", value: "false" },
          ],
        })
      )
    ).shipping_option

  return {
    stockLocationId: location.id as string,
    fulfillmentSetId: fulfillmentSet.id as string,
    serviceZoneId: serviceZone.id as string,
    shippingOptionId: shippingOption.id as string,
  }
}

/** Admin calls that throw with the HTTP status and body when a seeding step fails. */
function seedCalls(admin: StoreHttp) {
  const call = async (what: string, res: Promise<HttpResponse<any>>) => ensureOk(await res, `seedStore: ${what}`)
  /** The first entity of a list response (`key` is the list's property, e.g. "regions"), if any. */
  const findFirst = async (what: string, path: string, key: string) => (await call(what, admin.get(path)))[key]?.[0]
  return { call, findFirst }
}

const enc = encodeURIComponent

/** A promotion code taking `percent` % off the items, applied only when the shopper enters it. */
export async function createPercentOffCode(admin: StoreHttp, code: string, percent: number): Promise<void> {
  ensureOk(
    await admin.post("/admin/promotions", {
      code,
      type: "standard",
      status: "active",
      is_automatic: false,
      application_method: { type: "percentage", target_type: "items", allocation: "across", value: percent },
    }),
    "create promotion"
  )
}
