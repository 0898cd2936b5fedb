// Starts the GOV.UK Frontend components on the page (Exit this page, service navigation,
// error summary focus, buttons' double-click protection).
import { initAll } from "/static/govuk/govuk-frontend.min.js";
initAll();
