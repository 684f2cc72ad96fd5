/*
 * Media types → the `format` names Converse uses for image, document, video and audio blocks
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ContentBlock.html), and
 * back for decoding.
 */

const DOCUMENT_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

const VIDEO_FORMATS: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/x-matroska': 'mkv',
  'video/webm': 'webm',
  'video/x-flv': 'flv',
  'video/mpeg': 'mpeg',
  'video/x-ms-wmv': 'wmv',
  'video/3gpp': 'three_gp',
};

const AUDIO_FORMATS: Record<string, string> = {
  'audio/aac': 'aac',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/webm': 'webm',
  'audio/pcm': 'pcm',
};

const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function lower(mediaType: string): string {
  const semicolon = mediaType.indexOf(';');
  return (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).trim().toLowerCase();
}

export function imageFormat(mediaType: string): string | undefined {
  return IMAGE_FORMATS[lower(mediaType)];
}

export function documentFormat(mediaType: string): string | undefined {
  return DOCUMENT_FORMATS[lower(mediaType)];
}

export function videoFormat(mediaType: string): string | undefined {
  return VIDEO_FORMATS[lower(mediaType)];
}

/** Audio by media type, or by the short format name OpenAI uses ("wav", "mp3"). */
export function audioFormat(mediaType: string | undefined, format: string | undefined): string | undefined {
  if (format !== undefined && Object.values(AUDIO_FORMATS).includes(format)) return format;
  return mediaType === undefined ? undefined : AUDIO_FORMATS[lower(mediaType)];
}

/** The media type for a Converse format name, for decoding blocks back (images, documents). */
export function mediaTypeFor(kind: 'image' | 'document' | 'video' | 'audio', format: string): string {
  const table = kind === 'image' ? IMAGE_FORMATS : kind === 'document' ? DOCUMENT_FORMATS : kind === 'video' ? VIDEO_FORMATS : AUDIO_FORMATS;
  for (const [mediaType, name] of Object.entries(table)) if (name === format) return mediaType;
  return kind === 'document' ? 'application/octet-stream' : `${kind}/${format}`;
}

/**
 * Document names may hold only letters, digits, single spaces, hyphens, parentheses and square
 * brackets; anything else becomes a space.
 */
export function documentName(filename: string | undefined, fallback: string): string {
  if (filename === undefined) return fallback;
  const withoutExtension = filename.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const cleaned = withoutExtension.replace(/[^A-Za-z0-9\s\-()[\]]/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? fallback : cleaned.slice(0, 200);
}
