import type { AudioPart, FilePart, ImagePart, Warning } from '../../core/index.js';
import type { GeminiPart } from './gemini-wire.js';

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  aac: 'audio/aac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mpeg: 'video/mpeg',
};

/** A fallback type per kind when neither the part nor the URL says (Vertex requires one). */
const DEFAULT_MIME: Record<string, string> = { image: 'image/jpeg', audio: 'audio/mpeg', file: 'application/pdf' };

function isYouTube(url: string): boolean {
  return /^https?:\/\/(www\.|m\.)?(youtube\.com|youtu\.be)\//.test(url);
}

/** The media type a URL's file extension implies, if any. */
export function mimeTypeFromUrl(url: string): string | undefined {
  if (isYouTube(url)) return 'video/mp4';
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return MIME_BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

export interface MediaConversionOptions {
  /** Vertex requires fileData.mimeType; the Gemini API detects it when absent. */
  requireMimeType: boolean;
  providerName: string;
}

/**
 * An image, audio or file part → a Gemini part. Base64 data becomes `inlineData`. URLs (public
 * http(s), signed URLs, gs:// on Vertex, YouTube) and uploaded file ids (Files API URIs) become
 * `fileData`, which Gemini fetches itself — the gateway never downloads client URLs. When the
 * media type is unknown, the Gemini API infers it; Vertex needs one, so a per-kind default is
 * sent and reported as a warning.
 */
export function convertMediaPartToGemini(
  part: ImagePart | AudioPart | FilePart,
  options: MediaConversionOptions,
  warnings: Warning[],
): GeminiPart {
  const source = part.source;
  const declared = part.type === 'file' ? part.mediaType : undefined;
  let converted: GeminiPart;
  if (source.kind === 'base64') {
    converted = { inlineData: { mimeType: source.mediaType, data: source.data } };
  } else {
    const uri = source.kind === 'url' ? source.url : source.id;
    let mimeType = declared ?? mimeTypeFromUrl(uri);
    if (mimeType === undefined && options.requireMimeType) {
      mimeType = DEFAULT_MIME[part.type] ?? 'application/octet-stream';
      warnings.push({
        code: 'lossy-conversion',
        message: `the media type of ${part.type} "${uri.slice(0, 100)}" is unknown; ${options.providerName} needs one, so "${mimeType}" was sent`,
      });
    }
    converted = { fileData: mimeType === undefined ? { fileUri: uri } : { mimeType, fileUri: uri } };
  }
  if (part.type === 'image' && part.detail !== undefined) {
    warnings.push({
      code: 'unsupported-parameter',
      param: 'detail',
      message: `image detail "${part.detail}" has no per-image equivalent on ${options.providerName} (use generationConfig.mediaResolution); it was not sent`,
    });
  }
  const own = part.providerOptions?.gemini;
  return own === undefined ? converted : { ...converted, ...own };
}
