// Reads a QR code (an invite) from the camera or from a picture. Loaded only when opened: the
// decoder (readQrCode and its wasm) stays out of the first screen's JavaScript.
import { useEffect, useRef, useState } from 'react';
import { readQrCode } from './readQrCode';
import { Button, ErrorText } from './ui';

const READER_FAILED =
  'The QR code reader could not start in this browser. Paste the invite instead.';

/** The pixels of an image or of a video's current frame. */
function pixelsOf(source: CanvasImageSource, width: number, height: number): ImageData | null {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context || width === 0 || height === 0) return null;
  context.drawImage(source, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

function Camera(props: { onText: (text: string) => void; onError: (message: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let live = true;
    let reading = false;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        if (!live || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        timer = setInterval(() => {
          const v = video.current;
          const pixels = v && pixelsOf(v, v.videoWidth, v.videoHeight);
          // One frame at a time: a slow phone skips frames rather than queueing them.
          if (!pixels || reading) return;
          reading = true;
          readQrCode(pixels)
            .then((text) => {
              if (text && live) props.onText(text);
            })
            .catch(() => {
              clearInterval(timer);
              props.onError(READER_FAILED);
            })
            .finally(() => (reading = false));
        }, 250);
      })
      .catch(() =>
        props.onError('No camera is available, or it was not allowed. Choose a picture instead.'),
      );
    return () => {
      live = false;
      clearInterval(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [props]);
  return <video ref={video} className="scanner-video" muted playsInline aria-label="Camera" />;
}

export default function QrScanner(props: { onText: (text: string) => void; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [camera, setCamera] = useState(false);
  const readPicture = async (file: File): Promise<void> => {
    setError(null);
    let pixels: ImageData | null;
    try {
      const image = await createImageBitmap(file);
      pixels = pixelsOf(image, image.width, image.height);
      image.close();
    } catch {
      setError('That file is not a picture this browser can read.');
      return;
    }
    let text: string | null;
    try {
      text = pixels && (await readQrCode(pixels));
    } catch {
      setError(READER_FAILED);
      return;
    }
    if (text) props.onText(text);
    else setError('No QR code was found in that picture.');
  };
  return (
    <div className="scanner">
      {camera && <Camera onText={props.onText} onError={setError} />}
      <div className="form-actions">
        {!camera && navigator.mediaDevices && (
          <Button onClick={() => setCamera(true)}>Use the camera</Button>
        )}
        <label className="button secondary file-button">
          Choose a picture of the code
          <input
            type="file"
            accept="image/*"
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void readPicture(file);
            }}
          />
        </label>
        <Button onClick={props.onClose}>Close</Button>
      </div>
      <ErrorText error={error} />
    </div>
  );
}
