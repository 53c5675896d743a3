/**
 * A one-page PDF holding one JPEG image: what the commander's brief needs, in about as
 * many lines as the call into a PDF library would take. PDF embeds JPEG bytes as they
 * are (the DCTDecode filter), so there is no image encoding here, only the file's frame:
 *
 *   %PDF-1.4
 *   1 catalog → 2 pages → 3 page (A4 landscape) → 4 image, 5 content "q w 0 0 h x y cm /Im Do Q"
 *   6 info (title, producer)
 *   xref (byte offset of every object) · trailer · startxref
 *
 * Persian text stays in the image (drawn by the browser, with its shaping), so the PDF
 * needs no font; the title in the document info is UTF-16.
 */

const A4_LANDSCAPE = { width: 841.89, height: 595.28 };
const MARGIN = 24;

function utf16Hex(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

export function pdfWithJpeg(jpeg: Uint8Array, pixels: { width: number; height: number }, title: string): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: string | Uint8Array) => {
    const bytes = typeof part === 'string' ? encoder.encode(part) : part;
    chunks.push(bytes);
    length += bytes.length;
  };
  const object = (body: string) => {
    offsets.push(length);
    push(`${offsets.length} 0 obj\n${body}\nendobj\n`);
  };

  // The image as large as the page allows, centred, its aspect kept.
  const fit = Math.min((A4_LANDSCAPE.width - 2 * MARGIN) / pixels.width, (A4_LANDSCAPE.height - 2 * MARGIN) / pixels.height);
  const w = pixels.width * fit;
  const h = pixels.height * fit;
  const x = (A4_LANDSCAPE.width - w) / 2;
  const y = (A4_LANDSCAPE.height - h) / 2;
  const content = `q ${w.toFixed(2)} 0 0 ${h.toFixed(2)} ${x.toFixed(2)} ${y.toFixed(2)} cm /Brief Do Q`;

  // A binary comment on line two tells transfer tools the file is binary.
  push('%PDF-1.4\n');
  push(new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  object('<< /Type /Catalog /Pages 2 0 R >>');
  object('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4_LANDSCAPE.width} ${A4_LANDSCAPE.height}] ` +
    '/Resources << /XObject << /Brief 4 0 R >> >> /Contents 5 0 R >>');
  offsets.push(length);
  push(`4 0 obj\n<< /Type /XObject /Subtype /Image /Width ${pixels.width} /Height ${pixels.height} ` +
    `/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`);
  push(jpeg);
  push('\nendstream\nendobj\n');
  object(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  object(`<< /Title ${utf16Hex(title)} /Producer (Mahallenama) >>`);

  const xref = length;
  push(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);

  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
