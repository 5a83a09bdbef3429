import { toast, usePrompt } from "@medusajs/ui"
import { formatMinor } from "./format"
import { useSubscriptionAction, type ActionResult } from "./hooks"

type Confirmation = { title: string; description: string; confirmText: string; variant?: "danger" | "confirmation" }

/**
 * Runs a subscription action behind Medusa's confirmation prompt and reports the outcome as a toast. A
 * refusal shows the server's message as it is (Medusa's error body `message`, which the JS SDK's
 * FetchError carries): the plugin's messages already say what is wrong and what to do.
 */
export function useRunAction(id: string) {
  const prompt = usePrompt()
  const action = useSubscriptionAction(id)

  async function run(request: Parameters<typeof action.mutateAsync>[0], confirmation: Confirmation, success: string) {
    const confirmed = await prompt({ variant: "confirmation", cancelText: "Keep as is", ...confirmation })
    if (!confirmed) {
      return undefined
    }
    try {
      const result = await action.mutateAsync(request)
      reportOutcome(result, success)
      return result
    } catch (error) {
      toast.error("Dintero subscription", { description: (error as Error).message })
      return undefined
    }
  }

  return { run, isPending: action.isPending }
}

/** "Charge now" answers 200 with the charge's outcome: a decline is a result, not an HTTP error. */
function reportOutcome(result: ActionResult, success: string) {
  const renewal = result.renewal
  if (renewal?.outcome === "failed") {
    const decline = (renewal as any).decline as { code?: string; message?: string } | null
    toast.error("Charge declined", { description: [decline?.code, decline?.message].filter(Boolean).join(": ") || "Dintero declined the charge." })
  } else if (renewal?.outcome === "unknown") {
    toast.warning("Charge outcome unknown", { description: renewal.reason ?? "Dintero did not answer; the next run retries the same charge." })
  } else if (result.proration && result.proration.amount > 0) {
    toast.success(success, { description: `Charged ${formatMinor(result.proration.amount, result.subscription.currency_code)} now.` })
  } else {
    toast.success(success)
  }
}
