// How the browser tests start Debian's Chromium (apt-get install -y chromium); Playwright's own
// download is never used here. Without the background-networking switches Chromium keeps trying
// to reach Google's hosts, which this network refuses.
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Launch options whose camera plays a video file (Chromium's documented fake-capture switches). */
export function withFakeCamera(videoPath: string) {
  return {
    executablePath: chromiumPath,
    args: [...chromiumArgs, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${videoPath}`],
  };
}
