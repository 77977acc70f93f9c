// Drives a running service's /docs and /redoc in headless Chromium, the way a person
// would, and prints what happened as JSON (tests/test_browser_docs.py judges it).
// Usage: node docs_page.mjs <npm prefix with playwright-core> <chromium> <base url> <title> <auth>
//        <credential> <operation path>
// auth is "jwt" (credential "email:password") or "api_key" (credential: the key).
import { createRequire } from "node:module";

const [moduleDir, chromium, base, title, auth, credential, operationPath] =
  process.argv.slice(2);
const { chromium: launcher } = createRequire(`${moduleDir}/`)("playwright-core");
const origin = new URL(base).origin;
const report = { loaded: [], refused: [], violations: [], clicked: [], console: [] };
const TIMEOUT = 20000;

const browser = await launcher.launch({
  executablePath: chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const context = await browser.newContext();
  // Every request is seen here: the service's are let through, any other is refused.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) {
      report.loaded.push(`${route.request().method()} ${url}`);
      return route.continue();
    }
    report.refused.push(url);
    return route.abort();
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window.__violations ||= []).push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("console", (message) => {
    if (message.type() === "error") report.console.push(message.text());
  });
  const click = async (what, locator) => {
    await locator.click();
    report.clicked.push(what);
  };

  await page.goto(`${base}/docs`);
  await page.locator(".opblock").first().waitFor();
  report.operations = await page.locator(".opblock").count();

  await click("Authorize (top right)", page.locator("button.btn.authorize").first());
  const dialog = page.locator(".dialog-ux .modal-ux");
  await dialog.waitFor();
  if (auth === "jwt") {
    const [username, password] = credential.split(/:(.*)/s);
    await dialog.locator("#oauth_username").fill(username);
    await dialog.locator("#oauth_password").fill(password);
    report.clicked.push("typed username and password into the OAuth2 password form");
  } else {
    await dialog.locator("input[type=text]").first().fill(credential);
    report.clicked.push("pasted the API key into the X-API-Key field");
  }
  await click("Authorize (in the dialog)", dialog.locator("button.authorize").first());
  await dialog.locator("button", { hasText: "Logout" }).first().waitFor();
  report.authorized = true;
  await click("Close", dialog.locator("button.btn-done").first());

  const operation = page.locator(".opblock.opblock-get", {
    has: page.locator(`.opblock-summary-path[data-path="${operationPath}"]`),
  });
  await click(`GET ${operationPath}`, operation.locator(".opblock-summary").first());
  await click("Try it out", operation.locator("button.try-out__btn"));
  await click("Execute", operation.locator("button.execute"));
  const status = operation.locator(".live-responses-table .response .response-col_status");
  await status.first().waitFor();
  report.status = (await status.first().innerText()).trim();
  const violations = () => page.evaluate(() => window.__violations || []);
  report.violations.push(...(await violations()));

  await page.goto(`${base}/redoc`);
  const heading = page.locator("h1", { hasText: title });
  await heading.first().waitFor();
  report.redocHeading = (await heading.first().innerText()).trim();
  report.redocOperations = await page.locator("[data-section-id^='operation/']").count();

  report.violations.push(...(await violations()));
} catch (error) {
  report.error = String(error);
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
