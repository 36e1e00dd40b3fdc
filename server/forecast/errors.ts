/** The engine's two expected ends besides a result: a problem with the user's input, and a requested stop. */

export type InputErrorCode =
  | 'UNSUPPORTED_FILE'
  /** an .xlsx that is damaged or not an ordinary workbook (parts hidden, expands too far, rows never end) */
  | 'DAMAGED_FILE'
  | 'EMPTY_FILE'
  | 'MISSING_COLUMNS'
  | 'BAD_ENCODING'
  | 'BAD_DATES'
  | 'NO_VALID_ROWS'
  | 'UNKNOWN_SITES'
  | 'START_DATE_OUT_OF_RANGE'
  | 'UNKNOWN_METHOD'
  /** a stock budget or fill-rate target for a plan whose parts have no unit cost */
  | 'NO_COSTS'
  /** an actuals file with no row dated after the job's history */
  | 'NO_ACTUALS_AFTER_ORIGIN'
  /** an actuals file none of whose series the job forecast */
  | 'ACTUALS_NO_COMMON_SERIES'
  /** the parts file's replaced_by links loop (A→B→A), or chain absurdly far */
  | 'SUPERSESSION_CYCLE'
  | 'SUPERSESSION_TOO_LONG'
  | 'INVALID_INPUT';

/** A problem with the user's file or config: its message is shown to the planner as is. */
export class InputError extends Error {
  constructor(
    readonly code: InputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * A message about the parts file, saying so with its name: the planner sends two files and must know which
 * one is wrong ("The CSV file has a quote … never closed" alone reads as the demand file's).
 */
export function namePartsFile(name: string, message: string): string {
  const quoted = `"${name}"`;
  if (message.startsWith(quoted)) return `The parts file ${message}`;
  if (message.includes(quoted)) return message;
  if (message.startsWith('The parts file '))
    return `The parts file ${quoted} ${message.slice('The parts file '.length)}`;
  return `The parts file ${quoted}: ${message}`;
}

/** An InputError of the parts file, its message naming it (namePartsFile). */
export function partsFileError(name: string, err: InputError): InputError {
  return new InputError(err.code, namePartsFile(name, err.message));
}

/** Thrown by forecastPartition when its hooks' shouldStop() says so; callers check it with instanceof. */
export class StopRequested extends Error {
  constructor() {
    super('Stop requested');
    this.name = 'StopRequested';
  }
}
