import { Plus, Trash } from "@medusajs/icons"
import { Button, Drawer, IconButton, Input, Label, Select, Switch, Text } from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { formatDate, formatMinor, intervalLabel, toMajorInput, toMinor } from "./format"
import { usePlanChangePreview } from "./hooks"
import type { Interval, PlanChangeBody, Subscription } from "./types"
import { useRunAction } from "./use-run-action"

type Props = { subscription: Subscription; open: boolean; onOpenChange: (open: boolean) => void }
type DraftLine = { line_id?: string; title: string; quantity: string; price: string; vat: string; type: "item" | "shipping"; variant_id?: string | null; product_id?: string | null; shipping_option_id?: string | null }

const INTERVALS: Interval[] = ["day", "week", "month", "year"]

function draftFrom(subscription: Subscription): DraftLine[] {
  return subscription.items.map((line) => ({
    line_id: line.line_id,
    title: line.title,
    quantity: String(line.quantity),
    price: toMajorInput(line.unit_amount, subscription.currency_code),
    vat: String(line.vat),
    type: line.type,
    variant_id: line.variant_id,
    product_id: line.product_id,
    shipping_option_id: line.shipping_option_id,
  }))
}

/** The request body, or the first thing a person has to fix. */
function toBody(lines: DraftLine[], interval: Interval, count: string, prorate: boolean, currency: string): PlanChangeBody | string {
  if (!lines.length) {
    return "Add at least one line."
  }
  const items: PlanChangeBody["items"] = []
  for (const [index, line] of lines.entries()) {
    const quantity = Number(line.quantity)
    const unit_amount = toMinor(line.price, currency)
    const vat = Number(line.vat)
    if (!line.title.trim()) return `Line ${index + 1}: a title is needed.`
    if (!Number.isInteger(quantity) || quantity < 1) return `Line ${index + 1}: the quantity must be a whole number of at least 1.`
    if (unit_amount === undefined) return `Line ${index + 1}: the price must be an amount like 299.00.`
    if (!Number.isFinite(vat) || vat < 0 || vat > 100) return `Line ${index + 1}: VAT is a percentage between 0 and 100.`
    items.push({
      ...(line.line_id ? { line_id: line.line_id } : {}),
      title: line.title.trim(),
      quantity,
      unit_amount,
      vat,
      type: line.type,
      ...(line.variant_id ? { variant_id: line.variant_id } : {}),
      ...(line.product_id ? { product_id: line.product_id } : {}),
      ...(line.shipping_option_id ? { shipping_option_id: line.shipping_option_id } : {}),
    })
  }
  const interval_count = Number(count)
  if (!Number.isInteger(interval_count) || interval_count < 1 || interval_count > 365) {
    return "Every … must be a whole number from 1 to 365."
  }
  return { items, interval, interval_count, prorate }
}

/**
 * Change the plan's lines and interval. The server's dry run (POST …/change-plan/preview) shows what the
 * change bills from the next period and, with proration, what it charges the card now; the change itself
 * is confirmed with that amount.
 */
export const ChangePlanDrawer = ({ subscription, open, onOpenChange }: Props) => {
  const currency = subscription.currency_code
  const [lines, setLines] = useState<DraftLine[]>(() => draftFrom(subscription))
  const [interval, setInterval] = useState<Interval>(subscription.interval)
  const [count, setCount] = useState(String(subscription.interval_count))
  const [prorate, setProrate] = useState(false)
  const preview = usePlanChangePreview(subscription.id)
  const { run, isPending } = useRunAction(subscription.id)

  useEffect(() => {
    if (open) {
      setLines(draftFrom(subscription))
      setInterval(subscription.interval)
      setCount(String(subscription.interval_count))
      setProrate(false)
      preview.reset()
    }
    // Reset only when the drawer opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open])

  const body = useMemo(() => toBody(lines, interval, count, prorate, currency), [lines, interval, count, prorate, currency])
  const bodyKey = typeof body === "string" ? body : JSON.stringify(body)

  useEffect(() => {
    if (!open || typeof body === "string") {
      return
    }
    const timer = setTimeout(() => preview.mutate(body), 400)
    return () => clearTimeout(timer)
    // The serialized body is the dependency: a new object with the same content needs no new preview.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, bodyKey])

  const update = (index: number, patch: Partial<DraftLine>) => setLines((current) => current.map((line, i) => (i === index ? { ...line, ...patch } : line)))
  const shown = preview.data?.preview

  const submit = async () => {
    if (typeof body === "string") {
      return
    }
    const now = shown && shown.charge_now > 0 ? ` The card is charged about ${formatMinor(shown.charge_now, currency)} now for the rest of this period.` : ""
    const result = await run(
      { kind: "change-plan", body },
      {
        title: "Change plan?",
        description: `From ${formatDate(subscription.current_period_end)} the subscription bills ${
          shown ? formatMinor(shown.new_amount, currency) : "the new amount"
        } ${intervalLabel(interval, Number(count)).toLowerCase()}.${now}`,
        confirmText: "Change plan",
      },
      "Plan changed"
    )
    if (result) {
      onOpenChange(false)
    }
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>Change plan</Drawer.Title>
          <Drawer.Description>Prices include VAT. The new plan bills from the next period.</Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-6 overflow-y-auto">
          <div className="flex flex-col gap-y-4">
            {lines.map((line, index) => (
              <div key={index} className="grid grid-cols-12 items-end gap-2">
                <div className="col-span-12 flex flex-col gap-y-1">
                  <Label size="xsmall">Title</Label>
                  <Input size="small" value={line.title} onChange={(event) => update(index, { title: event.target.value })} />
                </div>
                <div className="col-span-3 flex flex-col gap-y-1">
                  <Label size="xsmall">Quantity</Label>
                  <Input size="small" inputMode="numeric" value={line.quantity} onChange={(event) => update(index, { quantity: event.target.value })} />
                </div>
                <div className="col-span-4 flex flex-col gap-y-1">
                  <Label size="xsmall">Unit price ({currency.toUpperCase()})</Label>
                  <Input size="small" inputMode="decimal" value={line.price} onChange={(event) => update(index, { price: event.target.value })} />
                </div>
                <div className="col-span-3 flex flex-col gap-y-1">
                  <Label size="xsmall">VAT %</Label>
                  <Input size="small" inputMode="decimal" value={line.vat} onChange={(event) => update(index, { vat: event.target.value })} />
                </div>
                <div className="col-span-2 flex justify-end">
                  <IconButton size="small" variant="transparent" aria-label="Remove line" onClick={() => setLines((current) => current.filter((_, i) => i !== index))}>
                    <Trash />
                  </IconButton>
                </div>
              </div>
            ))}
            <Button
              size="small"
              variant="secondary"
              className="self-start"
              onClick={() => setLines((current) => [...current, { title: "", quantity: "1", price: "", vat: current[0]?.vat ?? "0", type: "item" }])}
            >
              <Plus />
              Add line
            </Button>
          </div>
          <div className="grid grid-cols-2 gap-2">
            <div className="flex flex-col gap-y-1">
              <Label size="xsmall">Every</Label>
              <Input size="small" inputMode="numeric" value={count} onChange={(event) => setCount(event.target.value)} />
            </div>
            <div className="flex flex-col gap-y-1">
              <Label size="xsmall">Interval</Label>
              <Select size="small" value={interval} onValueChange={(value) => setInterval(value as Interval)}>
                <Select.Trigger>
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {INTERVALS.map((unit) => (
                    <Select.Item key={unit} value={unit}>
                      {unit}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            </div>
          </div>
          <div className="flex items-start gap-x-3">
            <Switch id="prorate" checked={prorate} onCheckedChange={setProrate} />
            <div className="flex flex-col">
              <Label htmlFor="prorate" size="small" weight="plus">
                Charge the difference now
              </Label>
              <Text size="xsmall" className="text-ui-fg-subtle">
                An upgrade charges the price difference for the rest of the current period. A downgrade is never credited back.
              </Text>
            </div>
          </div>
          <div className="bg-ui-bg-subtle flex flex-col gap-y-2 rounded-lg p-4" data-testid="plan-change-preview">
            <Text size="small" weight="plus">
              Preview
            </Text>
            {typeof body === "string" ? (
              <Text size="small" className="text-ui-fg-subtle">
                {body}
              </Text>
            ) : preview.isError ? (
              <Text size="small" className="text-ui-fg-error">
                {preview.error.message}
              </Text>
            ) : shown ? (
              <>
                <Row label="Now, per period" value={`${formatMinor(shown.current_amount, currency)} · ${intervalLabel(subscription.interval, subscription.interval_count)}`} />
                <Row label={`From ${formatDate(shown.applies_from)}`} value={`${formatMinor(shown.new_amount, currency)} · ${intervalLabel(shown.interval, shown.interval_count)}`} />
                <Row label="Charged now" value={formatMinor(shown.charge_now, currency)} />
                {shown.proration && shown.proration.period_ms > 0 ? (
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    {Math.round((shown.proration.remaining_ms / shown.proration.period_ms) * 100)}% of the period left; proration rounded half up to a whole minor unit.
                    {shown.already_paid ? " This change was already paid for in this period." : ""}
                  </Text>
                ) : null}
              </>
            ) : (
              <Text size="small" className="text-ui-fg-subtle">
                Calculating…
              </Text>
            )}
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Close
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={isPending} disabled={typeof body === "string" || preview.isError}>
            Change plan
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

const Row = ({ label, value }: { label: string; value: string }) => (
  <div className="flex items-center justify-between gap-x-4">
    <Text size="small" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="small">{value}</Text>
  </div>
)
