// GOV.UK Frontend styles its components for JavaScript only when these classes are set
// before the page paints (the Design System's page template does this inline; Haven's
// Content-Security-Policy allows no inline script, so it is a file).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
