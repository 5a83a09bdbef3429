import { Button, CurrencyInput, Drawer, Hint, Label, Text, toast } from "@medusajs/ui"
import { useState, type ReactNode } from "react"
import type { OperationAmounts } from "../../lib/operation-amount"
import { currencySymbol, formatMinor, minorToMajor, parseMajorToMinor } from "../../lib/money"

type Props = {
  /** `capture` or `refund`: the ids and test ids of the drawer's parts (`dintero-<operation>-open`, `-amount`, `-submit`). */
  operation: string
  title: string
  submitLabel: string
  /** What can be done at most, in minor units; the drawer opens with it filled in. */
  left: number
  amounts: OperationAmounts
  /** Says how much is left, and of what. */
  description: ReactNode
  /** The amount's error, or undefined when it may be sent. */
  amountError: (text: string) => string | undefined
  /** Sends the operation; answers the success toast's text. Throws the server's error as it is. */
  send: (amount: number) => Promise<string>
  pending: boolean
  /** Fields after the amount (the capture's "final capture" box). */
  children?: ReactNode
  /** Called when the drawer opens or closes, to reset the fields of `children`. */
  onReset?: () => void
}

/**
 * A drawer that sends an amount of a Dintero payment (capture, refund), in Medusa's look: a currency input
 * checked as the merchant types, the server's refusal shown as a toast with its message, and the drawer left
 * open on a refusal so the merchant can correct the amount.
 */
export const AmountDrawer = ({ operation, title, submitLabel, left, amounts, description, amountError, send, pending, children, onReset }: Props) => {
  const { currency, decimals } = amounts
  const [open, setOpen] = useState(false)
  const [text, setText] = useState("")
  const [touched, setTouched] = useState(false)
  const error = amountError(text)

  const reset = (next: boolean) => {
    setOpen(next)
    setText(next ? String(minorToMajor(left, decimals)) : "")
    setTouched(false)
    onReset?.()
  }
  const submit = async () => {
    setTouched(true)
    const amount = parseMajorToMinor(text, decimals)
    if (error || amount === undefined) {
      return
    }
    try {
      toast.success(await send(amount))
      reset(false)
    } catch (err) {
      toast.error((err as Error).message || `The ${operation} failed.`)
    }
  }

  const amountId = `dintero-${operation}-amount`
  return (
    <Drawer open={open} onOpenChange={reset}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" disabled={left <= 0} data-testid={`dintero-${operation}-open`}>
          {title}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{title}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-6">
          <Text size="small" className="text-ui-fg-subtle">
            {description}
          </Text>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor={amountId} size="small" weight="plus">
              Amount
            </Label>
            <CurrencyInput
              id={amountId}
              symbol={currencySymbol(currency)}
              code={currency}
              value={text}
              decimalsLimit={decimals}
              allowNegativeValue={false}
              disableGroupSeparators
              onValueChange={(value) => setText(value ?? "")}
              onBlur={() => setTouched(true)}
              aria-invalid={touched && Boolean(error)}
              data-testid={amountId}
            />
            {touched && error ? <Hint variant="error">{error}</Hint> : null}
          </div>
          {children}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Cancel
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={pending} disabled={touched && Boolean(error)} data-testid={`dintero-${operation}-submit`}>
            {submitLabel}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

/** "NOK 400.00" for an amount of a transaction. */
export const money = (amount: number, amounts: OperationAmounts) => formatMinor(amount, amounts.currency, amounts.decimals)
