import { AdminListSubscriptions } from "../validators"

describe("the admin subscription list's status and customer filters", () => {
  const parse = (query: Record<string, unknown>) => AdminListSubscriptions.safeParse(query)

  it("take one value, a comma-separated list, or the list the JS SDK sends for an array", () => {
    expect(parse({ status: "active" }).data?.status).toEqual(["active"])
    expect(parse({ status: "active,paused" }).data?.status).toEqual(["active", "paused"])
    expect(parse({ status: ["active", "paused"] }).data?.status).toEqual(["active", "paused"])
    // qs turns a list longer than its array limit into an object of indices.
    expect(parse({ customer_id: { 0: "cus_1", 21: "cus_2" } }).data?.customer_id).toEqual(["cus_1", "cus_2"])
  })

  it("filter nothing when absent or empty, and refuse a status that does not exist", () => {
    expect(parse({}).data?.status).toBeUndefined()
    expect(parse({ status: "" }).data?.status).toBeUndefined()
    expect(parse({ customer_id: "" }).data?.customer_id).toBeUndefined()
    expect(parse({ status: ["active", "sleeping"] }).success).toBe(false)
    expect(parse({ status: [] }).success).toBe(false)
  })
})
