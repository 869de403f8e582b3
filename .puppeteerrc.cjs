// Puppeteer must not download its own browser: tests use the system Chromium (see test/browser/launch.ts).
module.exports = { skipDownload: true };
