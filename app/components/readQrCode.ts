// Reads the text of a QR code from pixels with ZXing-C++ (zxing-wasm): the one reader that found
// every invite the app draws, dense 1.7 KB ones included. Its wasm file ships with the build
// (Vite emits it as an asset, the offline shell caches it), never from a CDN.
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

const OPTIONS: ReaderOptions = { formats: ['QRCode'], maxNumberOfSymbols: 1, tryHarder: true };

let ready: Promise<unknown> | null = null;

/** Compiles the reader once, from our own copy of the wasm (zxing-wasm would ask jsDelivr). */
function prepare(): Promise<unknown> {
  ready ??= prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.wasm') ? new URL(wasmUrl, document.baseURI).href : prefix + path,
    },
    fireImmediately: true,
  }).catch((cause: unknown) => {
    ready = null; // let a later attempt try again
    throw cause;
  });
  return ready;
}

/** The text of the QR code in the image, or null when it holds none it can read. */
export async function readQrCode(image: ImageData): Promise<string | null> {
  await prepare();
  const [found] = await readBarcodes(image, OPTIONS);
  return found?.isValid ? found.text : null;
}
