/*
 * What every surface row of the matrix shares: the question, argument parsing, and how an SDK
 * error is caught.
 */

export type Json = Record<string, any>;

export const QUESTION = 'What is the weather in San Francisco?';

export const parseArguments = (text: string): unknown => (text.trim() === '' ? {} : JSON.parse(text));

/** Run a call that must fail; resolve with what the SDK threw. */
export async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the SDK to throw');
}
