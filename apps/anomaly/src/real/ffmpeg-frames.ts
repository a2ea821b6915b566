import { spawn } from 'node:child_process';

/** Grey frames decoded from a video file: `frames` × height × width bytes, values 0–255. */
export interface GreyFrames {
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly data: Uint8Array;
}

/**
 * Decodes a video with Debian's `ffmpeg` into grey frames scaled to width × height (raw `gray` pixels on a
 * pipe; nothing is written to disk). A missing binary is reported naming the Debian package.
 */
export function decodeGreyFrames(path: string, options: { width: number; height: number; maxFrames?: number }): Promise<GreyFrames> {
  const { width, height } = options;
  for (const [k, v] of Object.entries({ width, height })) if (!Number.isInteger(v) || v < 8 || v > 4096) throw new RangeError(`${k}: expected an integer in 8…4096, got ${v}`);
  const args = ['-v', 'error', '-i', path, '-vf', `scale=${width}:${height},format=gray`, ...(options.maxFrames !== undefined ? ['-frames:v', String(options.maxFrames)] : []), '-f', 'rawvideo', '-pix_fmt', 'gray', '-'];
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error('ffmpeg not found: install the Debian package ffmpeg (scripts/ensure-deps.mjs does for tests)') : e));
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg could not decode '${path}' (exit ${code}): ${err.trim().slice(0, 300)}`));
      const data = new Uint8Array(Buffer.concat(chunks));
      const frameBytes = width * height;
      if (data.length === 0 || data.length % frameBytes !== 0) return reject(new Error(`ffmpeg gave ${data.length} bytes for '${path}', not a whole number of ${width}×${height} frames`));
      resolve({ width, height, frames: data.length / frameBytes, data });
    });
  });
}
