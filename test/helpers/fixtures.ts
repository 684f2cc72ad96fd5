import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Recorded real provider traffic (copied from the shared fixture set; see its README). */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/providers');

export function fixturePath(name: string): string {
  return path.join(FIXTURES_DIR, name);
}

export function readFixture(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

export function readFixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function readFixtureJson<T = unknown>(name: string): T {
  return JSON.parse(readFixtureText(name)) as T;
}

/** Every file in one provider folder, e.g. listFixtures('openai-chat'). */
export function listFixtures(folder: string): string[] {
  return readdirSync(path.join(FIXTURES_DIR, folder))
    .sort()
    .map((file) => `${folder}/${file}`);
}

/** Split bytes into pieces at pseudo-random offsets (deterministic for a seed). */
export function splitAtRandomOffsets(data: Buffer, seed: number, maxPiece = 64): Buffer[] {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const pieces: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}
