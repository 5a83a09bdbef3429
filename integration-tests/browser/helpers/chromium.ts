/**
 * Headless Chromium for the browser suite: Debian's `chromium` package (apt-get install chromium; `.ci/run`
 * installs it when missing), driven by playwright-core, which downloads no browser of its own. Set
 * CHROMIUM_PATH to use another Chromium or Chrome binary.
 */
import { existsSync, mkdirSync } from "node:fs"
import path from "node:path"
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core"

export type { Browser, BrowserContext, Locator, Page }

/** Screenshots land here (ignored by git); CI can keep the folder as an artifact. */
export const ARTIFACTS_DIR = path.resolve(__dirname, "../../../test-artifacts")

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((candidate) => candidate && existsSync(candidate))
  if (!found) {
    throw new Error(
      "No Chromium found for the browser tests: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH"
    )
  }
  return found
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Containers give /dev/shm 64 MB, too little for Chromium's renderer; no GPU on CI machines.
    args: ["--disable-dev-shm-usage", "--disable-gpu"],
  })
}

/**
 * A fresh browser context (its own cookies, so its own admin session) with a desktop-sized window: the
 * dashboard hides some labels below the `sm` breakpoint. Actions and expectations wait at most
 * `timeoutMs`: a page that takes longer on a 2-core CI machine is a failure worth seeing.
 */
export async function newContext(browser: Browser, timeoutMs = 20_000): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" })
  context.setDefaultTimeout(timeoutMs)
  context.setDefaultNavigationTimeout(60_000)
  return context
}

/**
 * Saves what the window shows as test-artifacts/<name>.png and returns its path. (The dashboard scrolls inside
 * its own main column, so a full-page capture would show no more of it.)
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`)
  await page.screenshot({ path: file })
  return file
}

/** The README's images of the admin screens (committed; not in the npm package, see package.json "files"). */
export const README_IMAGES_DIR = path.resolve(__dirname, "../../../docs/images")

/**
 * With README_SCREENSHOTS=1 (`npm run docs:screenshots`), also saves `target` (one section of a page, so the
 * image shows what it is about) as docs/images/<name>.jpg: JPEG at quality 45 and one pixel per CSS pixel,
 * a few tens of kB. Otherwise does nothing, so the suite's own runs leave the committed images alone.
 */
export async function readmeImage(target: Locator | Page, name: string): Promise<string | undefined> {
  if (process.env.README_SCREENSHOTS !== "1") return undefined
  mkdirSync(README_IMAGES_DIR, { recursive: true })
  const file = path.join(README_IMAGES_DIR, `${name}.jpg`)
  await target.screenshot({ path: file, type: "jpeg", quality: 45, animations: "disabled", caret: "hide" })
  return file
}
