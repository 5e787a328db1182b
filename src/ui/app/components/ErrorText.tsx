// An error line under a form or a table (role=alert so screen readers announce it).
export function ErrorText({ error }: { readonly error: string | undefined }) {
  return error ? (
    <p role="alert" class="error">
      {error}
    </p>
  ) : null;
}
