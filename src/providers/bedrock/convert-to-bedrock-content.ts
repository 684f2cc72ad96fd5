import type { AudioPart, CacheControl, DataSource, FilePart, ImagePart, TextPart, ToolResultPart, Warning } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { audioFormat, documentFormat, documentName, imageFormat, videoFormat } from './bedrock-media-formats.js';

type Json = Record<string, unknown>;

/** What content conversion needs to know and may report. */
export interface ContentConversion {
  providerName: string;
  warnings: Warning[];
  /** Documents converted so far (for unique default names). */
  documents: number;
}

function notSupported(message: string, param: string): GatewayError {
  return new GatewayError({ code: 'not_supported', status: 400, param, message });
}

/**
 * A data source as a Converse `source`: inline base64 `bytes` or an `s3Location`. Bedrock does
 * not fetch http(s) URLs, and the gateway does not fetch them on its behalf (no request-driven
 * outbound calls), so those are refused with a clear error (a fallback target may take them).
 */
function source(data: DataSource, what: string, param: string, conversion: ContentConversion): Json {
  if (data.kind === 'base64') return { bytes: data.data };
  if (data.kind === 'url' && data.url.startsWith('s3://')) return { s3Location: { uri: data.url } };
  if (data.kind === 'url') {
    throw notSupported(`${conversion.providerName} takes ${what}s as base64 data or s3:// URLs; it cannot read ${data.url.slice(0, 64)}`, param);
  }
  throw notSupported(`${conversion.providerName} cannot read uploaded file ids (${what} "${data.id}")`, param);
}

function mediaTypeOf(data: DataSource, fallback: string | undefined): string | undefined {
  return data.kind === 'base64' ? data.mediaType : fallback;
}

/** The format for an s3:// URL without a media type: its file extension. */
function extensionOf(data: DataSource): string | undefined {
  if (data.kind !== 'url') return undefined;
  const match = /\.([A-Za-z0-9]+)(?:\?|$)/.exec(data.url);
  return match?.[1]?.toLowerCase();
}

export function cachePoint(control: CacheControl): Json {
  return { cachePoint: control.ttl === undefined ? { type: 'default' } : { type: 'default', ttl: control.ttl } };
}

export function convertImage(part: ImagePart, param: string, conversion: ContentConversion): Json {
  const mediaType = mediaTypeOf(part.source, undefined);
  const extension = extensionOf(part.source);
  const format = mediaType !== undefined ? imageFormat(mediaType) : extension === 'jpg' ? 'jpeg' : extension;
  if (format === undefined) {
    throw notSupported(`${conversion.providerName} takes png, jpeg, gif and webp images, not ${mediaType ?? 'this image'}`, param);
  }
  if (part.detail !== undefined && part.detail !== 'auto') {
    conversion.warnings.push({ code: 'unsupported-parameter', param: `${param}.detail`, message: `${conversion.providerName} has no image detail setting; "${part.detail}" was not sent` });
  }
  return { image: { format, source: source(part.source, 'image', param, conversion) } };
}

/** A file part: a document, or a video when its media type says so. */
export function convertFile(part: FilePart, param: string, conversion: ContentConversion): Json {
  if (part.source.kind === 'file-id') source(part.source, 'file', param, conversion);
  const mediaType = mediaTypeOf(part.source, part.mediaType) ?? part.mediaType;
  if (mediaType?.startsWith('image/')) {
    return convertImage({ type: 'image', source: part.source }, param, conversion);
  }
  if (mediaType?.startsWith('video/')) {
    const format = videoFormat(mediaType) ?? extensionOf(part.source);
    if (format === undefined) throw notSupported(`${conversion.providerName} does not take ${mediaType} videos`, param);
    return { video: { format, source: source(part.source, 'video', param, conversion) } };
  }
  const format = mediaType === undefined ? extensionOf(part.source) : documentFormat(mediaType);
  if (format === undefined) {
    throw notSupported(`${conversion.providerName} does not take ${mediaType ?? 'this kind of'} documents (pdf, csv, doc, docx, xls, xlsx, html, txt, md)`, param);
  }
  conversion.documents++;
  const document: Json = {
    format,
    name: documentName(part.title ?? part.filename, `document-${conversion.documents}`),
    source: source(part.source, 'document', param, conversion),
  };
  const bedrock = part.providerOptions?.bedrock;
  if (bedrock !== undefined) Object.assign(document, bedrock);
  return { document };
}

export function convertAudio(part: AudioPart, param: string, conversion: ContentConversion): Json {
  const format = audioFormat(mediaTypeOf(part.source, undefined), part.format);
  if (format === undefined) throw notSupported(`${conversion.providerName} does not take this audio format`, param);
  return { audio: { format, source: source(part.source, 'audio', param, conversion) } };
}

/** A text part; text that came in as Bedrock guard content (guardrail input) goes back as such. */
export function convertText(part: TextPart): Json {
  const guard = part.providerOptions?.bedrock?.guardContent;
  return guard !== undefined ? { guardContent: guard } : { text: part.text };
}

/** A tool result as a Converse `toolResult` block (text, images and documents inside). */
export function convertToolResult(part: ToolResultPart, param: string, conversion: ContentConversion): Json {
  const content: Json[] = [];
  if (typeof part.content === 'string') {
    content.push({ text: part.content });
  } else {
    part.content.forEach((item, index) => {
      const itemParam = `${param}.content[${index}]`;
      const json = item.providerOptions?.bedrock?.json;
      if (item.type === 'text') content.push(json !== undefined ? { json } : { text: item.text });
      else if (item.type === 'image') content.push(convertImage(item, itemParam, conversion));
      else content.push(convertFile(item, itemParam, conversion));
    });
  }
  const result: Json = { toolUseId: part.toolCallId, content };
  if (part.isError === true) result.status = 'error';
  return { toolResult: result };
}
