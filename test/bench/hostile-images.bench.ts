// Hostile-image cost: what one upload can make the images function spend. Runs a corpus of decompression-bomb-like
// files (flat colours at tens of megapixels, headers that lie about their size, truncated and forged files) through
// the same processImage the function runs, and prints each file's outcome and CPU time, the worst, and its ratio to
// an ordinary 12-megapixel photo (the baseline). `npm run bench:hostile-images`.
import sharp from 'sharp';
import { processImage } from '../../shared/images/process-image.ts';

interface Case {
  readonly name: string;
  readonly type: string;
  readonly bytes: () => Promise<Buffer>;
}

const flat = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 128, g: 128, b: 128, alpha: 1 } } });

/** A photo-like image: smooth noise, so it compresses like a camera's JPEG rather than a flat colour. */
async function photoLike(width: number, height: number): Promise<Buffer> {
  const small = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < small.length; i++) small[i] = (i * 2654435761) % 251;
  return sharp(small, { raw: { width: 64, height: 48, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Rewrites a PNG's IHDR width and height (and its CRC), leaving the pixel data as it was. */
function pngClaiming(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/** Rewrites a baseline JPEG's SOF0 height and width. */
function jpegClaiming(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i < out.length - 9; i++) {
    if (out[i] === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2)) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
  }
  return out;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const small = () => flat(64, 64).png().toBuffer();

const hostile: Case[] = [
  {
    name: 'flat PNG 6000×5000',
    type: 'image/png',
    bytes: () => flat(6000, 5000).png({ compressionLevel: 9 }).toBuffer(),
  },
  { name: 'flat PNG 6324×6324 (40 MP)', type: 'image/png', bytes: () => flat(6324, 6324).png().toBuffer() },
  {
    name: 'flat PNG 10000×10000 (100 MP)',
    type: 'image/png',
    bytes: () => flat(10000, 10000).png().toBuffer(),
  },
  { name: 'flat RGBA PNG 6000×5000', type: 'image/png', bytes: () => flat(6000, 5000, 4).png().toBuffer() },
  {
    name: 'flat palette PNG 7000×5700',
    type: 'image/png',
    bytes: () => flat(7000, 5700).png({ palette: true }).toBuffer(),
  },
  {
    name: 'flat grey PNG 7000×5700',
    type: 'image/png',
    bytes: () => flat(7000, 5700).greyscale().png().toBuffer(),
  },
  {
    name: 'flat 16-bit PNG 5000×5000',
    type: 'image/png',
    bytes: () => flat(5000, 5000).toColourspace('rgb16').png().toBuffer(),
  },
  { name: 'flat PNG 40000×1000 (wide)', type: 'image/png', bytes: () => flat(40000, 1000).png().toBuffer() },
  { name: 'flat PNG 1000×40000 (tall)', type: 'image/png', bytes: () => flat(1000, 40000).png().toBuffer() },
  {
    name: 'flat JPEG 6000×5000 q10',
    type: 'image/jpeg',
    bytes: () => flat(6000, 5000).jpeg({ quality: 10 }).toBuffer(),
  },
  {
    name: 'flat progressive JPEG 6000×5000',
    type: 'image/jpeg',
    bytes: () => flat(6000, 5000).jpeg({ quality: 10, progressive: true }).toBuffer(),
  },
  {
    name: 'flat WebP 6000×5000',
    type: 'image/webp',
    bytes: () => flat(6000, 5000).webp({ quality: 10 }).toBuffer(),
  },
  {
    name: 'flat lossless WebP 6000×5000',
    type: 'image/webp',
    bytes: () => flat(6000, 5000).webp({ lossless: true }).toBuffer(),
  },
  {
    name: 'PNG header claiming 50000×50000',
    type: 'image/png',
    bytes: async () => pngClaiming(await small(), 50000, 50000),
  },
  {
    name: 'PNG header claiming 6000×6000, 64×64 of data',
    type: 'image/png',
    bytes: async () => pngClaiming(await small(), 6000, 6000),
  },
  {
    name: 'JPEG header claiming 65000×65000',
    type: 'image/jpeg',
    bytes: async () => jpegClaiming(await flat(64, 64).jpeg().toBuffer(), 65000, 65000),
  },
  {
    name: 'JPEG header claiming 6000×6000, 64×64 of data',
    type: 'image/jpeg',
    bytes: async () => jpegClaiming(await flat(64, 64).jpeg().toBuffer(), 6000, 6000),
  },
  {
    name: 'truncated photo JPEG (half its bytes)',
    type: 'image/jpeg',
    bytes: async () => {
      const photo = await photoLike(4000, 3000);
      return photo.subarray(0, photo.length >> 1);
    },
  },
  {
    name: 'truncated flat PNG 6000×5000',
    type: 'image/png',
    bytes: async () => {
      const png = await flat(6000, 5000).png().toBuffer();
      return png.subarray(0, png.length >> 1);
    },
  },
  {
    name: 'PNG signature then random bytes',
    type: 'image/png',
    bytes: async () => {
      const out = Buffer.alloc(200_000);
      for (let i = 0; i < out.length; i++) out[i] = (i * 2654435761) >>> 24;
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(out);
      return out;
    },
  },
  {
    name: 'flat PNG 2300×1700 (3.9 MP, under the ratio rule: decoded)',
    type: 'image/png',
    bytes: () => flat(2300, 1700).png().toBuffer(),
  },
  {
    name: 'declared JPEG, is a flat PNG 6000×5000',
    type: 'image/jpeg',
    bytes: () => flat(6000, 5000).png().toBuffer(),
  },
];

const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** CPU milliseconds (user + system of this process, libvips' threads included) of processing `bytes`, best of ROUNDS. */
async function cpuMs(bytes: Buffer, type: string): Promise<{ ms: number; outcome: string }> {
  let best = Number.POSITIVE_INFINITY;
  let outcome = '';
  for (let r = 0; r < ROUNDS; r++) {
    const before = process.cpuUsage();
    const result = await processImage(bytes, type);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
    outcome = result.ok ? `ready, ${result.sizes.length} files` : `rejected: ${result.reason}`;
  }
  return { ms: best, outcome };
}

const photo = await photoLike(4000, 3000);
const baseline = await cpuMs(photo, 'image/jpeg');
console.log(
  `baseline: ordinary 4000×3000 photo JPEG, ${(photo.length / 1e6).toFixed(2)} MB → ${baseline.outcome}: ${baseline.ms.toFixed(0)} ms CPU`,
);
console.log('\nhostile file | bytes | outcome | CPU ms | × baseline');
let worst = { name: '', ms: 0 };
for (const c of hostile) {
  const bytes = await c.bytes();
  const { ms, outcome } = await cpuMs(bytes, c.type);
  if (ms > worst.ms) worst = { name: c.name, ms };
  console.log(
    `${c.name} | ${bytes.length} | ${outcome} | ${ms.toFixed(1)} | ${(ms / baseline.ms).toFixed(2)}`,
  );
}
console.log(
  `\nhostile files: ${hostile.length}; worst CPU per file: ${worst.ms.toFixed(1)} ms (${worst.name}), ${(worst.ms / baseline.ms).toFixed(2)}× the ordinary photo (best of ${ROUNDS} rounds each)`,
);
