// One camera scanner for the door and the sponsor booths. The browser's BarcodeDetector is used
// where it exists (Chrome on Android); elsewhere frames are drawn on a canvas and decoded with jsQR.
// A photo picker and a typed code cover devices without a usable camera, and pages without script.
import { Form } from "@remix-run/react";
// Bundled with the page rather than loaded on first use: a booth phone that loses its connection
// after opening the page must still be able to decode.
import jsQR from "jsqr";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";

type Decoder = (source: CanvasImageSource, width: number, height: number) => Promise<string | null>;

type BarcodeDetectorLike = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };
type BarcodeDetectorClass = {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
};

async function makeDecoder(canvas: HTMLCanvasElement): Promise<Decoder> {
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector && (await Detector.getSupportedFormats().catch(() => [] as string[])).includes("qr_code")) {
    const detector = new Detector({ formats: ["qr_code"] });
    return async (source) => (await detector.detect(source))[0]?.rawValue ?? null;
  }
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (source, width, height) => {
    if (!context || width === 0 || height === 0) return null;
    canvas.width = width;
    canvas.height = height;
    context.drawImage(source, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    return jsQR(image.data, width, height, { inversionAttempts: "dontInvert" })?.data ?? null;
  };
}

// The same badge stays in front of the camera for a while: report it once, not every frame.
const REPEAT_MS = 3000;
const FRAME_MS = 150;

export type ManualEntry = {
  /** Field name of the typed code, posted to the page's own action when script is off. */
  name: string;
  label: string;
  hint?: string;
  submitLabel: string;
  /** Hidden fields sent with the typed code (for example an intent). */
  hidden?: Record<string, string>;
};

export function QrScanner({ onCode, manual, title = "Scan a QR code" }: { onCode: (code: string) => void; manual: ManualEntry; title?: string }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const decoderRef = useRef<Decoder | null>(null);
  const lastRef = useRef<{ code: string; at: number } | null>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  const [running, setRunning] = useState(false);
  const [status, setStatus] = useState("Camera off.");
  const [typed, setTyped] = useState("");

  const report = useCallback((code: string) => {
    const now = Date.now();
    const last = lastRef.current;
    if (last && last.code === code && now - last.at < REPEAT_MS) return;
    lastRef.current = { code, at: now };
    navigator.vibrate?.(80);
    onCodeRef.current(code);
  }, []);

  const decoder = useCallback(async () => {
    decoderRef.current ??= await makeDecoder(canvasRef.current!);
    return decoderRef.current;
  }, []);

  const stop = useCallback(() => {
    streamRef.current?.getTracks().forEach((t) => t.stop());
    streamRef.current = null;
    setRunning(false);
  }, []);

  const start = useCallback(async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      setStatus("This browser cannot use the camera here. Scan from a photo or type the code instead.");
      return;
    }
    setStatus("Starting the camera…");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
      streamRef.current = stream;
      const video = videoRef.current!;
      video.srcObject = stream;
      await video.play();
      await decoder();
      setRunning(true);
      setStatus("Camera on. Hold the QR code inside the frame.");
    } catch (error) {
      stop();
      const denied = error instanceof DOMException && error.name === "NotAllowedError";
      setStatus(
        denied
          ? "Camera access was refused. Allow the camera in the browser's site settings, or type the code instead."
          : "The camera could not be started. Scan from a photo or type the code instead.",
      );
    }
  }, [decoder, stop]);

  useEffect(() => {
    if (!running) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      const video = videoRef.current;
      const decode = decoderRef.current;
      if (video && decode && video.readyState >= 2) {
        const code = await decode(video, video.videoWidth, video.videoHeight).catch(() => null);
        if (code && !cancelled) report(code);
      }
      if (!cancelled) timer = setTimeout(tick, FRAME_MS);
    };
    timer = setTimeout(tick, FRAME_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [running, report]);

  useEffect(() => stop, [stop]);

  async function scanPhoto(file: File | undefined) {
    if (!file) return;
    setStatus("Reading the photo…");
    try {
      const bitmap = await createImageBitmap(file);
      // Phone photos are large; a QR code survives scaling down to ~1000 px and decodes far faster.
      const scale = Math.min(1, 1000 / Math.max(bitmap.width, bitmap.height));
      const code = await (await decoder())(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
      bitmap.close();
      if (code) {
        setStatus("QR code read from the photo.");
        lastRef.current = null;
        report(code);
      } else {
        setStatus("No QR code found in that photo. Try again closer, or type the code.");
      }
    } catch {
      setStatus("That file could not be read as an image. Try another photo, or type the code.");
    }
  }

  function submitTyped(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = typed.trim();
    if (!code) return;
    lastRef.current = null;
    report(code);
    setTyped("");
  }

  const inputId = `${manual.name}-typed`;
  return (
    <section className="scanner card" aria-labelledby="scanner-title">
      <h2 id="scanner-title">{title}</h2>
      <div className="scanner__viewport" hidden={!running}>
        <video ref={videoRef} muted playsInline aria-label="Camera preview" className="scanner__video" />
        <span className="scanner__frame" aria-hidden="true" />
      </div>
      <canvas ref={canvasRef} hidden />
      <div className="scanner__controls">
        {running ? (
          <button type="button" className="button button--ghost scanner__button" onClick={stop}>
            Stop camera
          </button>
        ) : (
          <button type="button" className="button scanner__button" onClick={start}>
            Start camera
          </button>
        )}
        <label className="button button--ghost scanner__button scanner__photo">
          Scan from a photo
          <input type="file" accept="image/*" capture="environment" className="visually-hidden" onChange={(e) => { void scanPhoto(e.currentTarget.files?.[0]); e.currentTarget.value = ""; }} />
        </label>
      </div>
      <p role="status" aria-live="polite" className="small muted scanner__status">
        {status}
      </p>
      <Form method="post" className="scanner__manual" onSubmit={submitTyped}>
        {Object.entries(manual.hidden ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div className="field">
          <label htmlFor={inputId}>{manual.label}</label>
          <input
            id={inputId}
            name={manual.name}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            aria-describedby={manual.hint ? `${inputId}-hint` : undefined}
            required
          />
          {manual.hint ? (
            <span className="hint" id={`${inputId}-hint`}>
              {manual.hint}
            </span>
          ) : null}
        </div>
        <button type="submit" className="button scanner__button">
          {manual.submitLabel}
        </button>
      </Form>
    </section>
  );
}
