/** One invalid field of a request, as problem details list it. */
export interface FieldError {
  field: string;
  problems: string[];
}
