/**
 * A source a model cited. Providers disagree on shape (OpenAI url_citation annotations,
 * Anthropic citations on text blocks, Cohere citations, Perplexity search results); the
 * common fields are here and the vendor object is kept in `raw`.
 */
export interface Citation {
  type: 'url' | 'document' | 'other';
  url?: string;
  title?: string;
  /** The cited passage, where the provider returns it. */
  citedText?: string;
  /** Character offsets into the text part the citation belongs to. */
  startIndex?: number;
  endIndex?: number;
  /** Index of the cited document in the request, for document citations. */
  documentIndex?: number;
  raw?: unknown;
}
