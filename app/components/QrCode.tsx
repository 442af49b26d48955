// A QR code drawn as SVG squares from uqr's matrix: crisp at any size, no canvas, no image file.
import { encode } from 'uqr';

/** The QR matrix of a text, or null when the text is longer than a QR code holds. */
function matrixOf(text: string): { data: boolean[][]; size: number } | null {
  try {
    return encode(text, { ecc: 'L', border: 2 });
  } catch {
    return null;
  }
}

export function QrCode(props: { text: string; label: string; size?: number }) {
  const matrix = matrixOf(props.text);
  if (!matrix) {
    return <p className="hint">This is too long for a QR code: share the text instead.</p>;
  }
  const { data, size } = matrix;
  const cells: string[] = [];
  data.forEach((row, y) =>
    row.forEach((on, x) => {
      if (on) cells.push(`M${x} ${y}h1v1h-1z`);
    }),
  );
  return (
    <svg
      className="qr"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${size} ${size}`}
      width={props.size ?? 200}
      height={props.size ?? 200}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={cells.join('')} fill="#111" />
    </svg>
  );
}
