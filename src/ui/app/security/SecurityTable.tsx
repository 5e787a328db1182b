// The credentials table of the Security page: one page of the server-side listing (endpoint order,
// cursor paging), fixed row heights so a reload never shifts the layout, and no key anywhere: a
// PSK is "set" with its length, a raw public key is shown by the tail of its (public) DER.
import { KIND_LABELS, keyTail, type SecurityInfoPage, type SecurityInfoView } from './securityTypes.js';

function detail(c: SecurityInfoView) {
  switch (c.kind) {
    case 'psk':
      return (
        <>
          <td class="mono">{c.psk.identity}</td>
          <td>set ({c.psk.keyLength} bytes)</td>
        </>
      );
    case 'rpk':
      return (
        <>
          <td class="muted">—</td>
          <td class="mono" title={c.rpk.publicKey}>
            public key {keyTail(c.rpk.publicKey)}
          </td>
        </>
      );
    case 'x509':
      return (
        <>
          <td class="muted">—</td>
          <td>certificate: subject CN = endpoint</td>
        </>
      );
  }
}

/** The table and its pager. */
export function SecurityTable(props: {
  readonly page: SecurityInfoPage | undefined;
  readonly pageNumber: number;
  readonly onEdit: (c: SecurityInfoView) => void;
  readonly onDelete: (c: SecurityInfoView) => void;
  readonly onPrevious?: () => void;
  readonly onNext?: () => void;
}) {
  const { page } = props;
  return (
    <>
      <table class="security-table">
        <caption class="sr-only">Credentials</caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Mode</th>
            <th scope="col">PSK identity</th>
            <th scope="col">Key</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((c) => (
            <tr key={c.endpoint}>
              <th scope="row" class="mono">
                {c.endpoint}
              </th>
              <td>{KIND_LABELS[c.kind]}</td>
              {detail(c)}
              <td class="actions">
                <button type="button" onClick={() => props.onEdit(c)} aria-label={`Edit ${c.endpoint}`}>
                  Edit
                </button>
                <button type="button" onClick={() => props.onDelete(c)} aria-label={`Delete ${c.endpoint}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {page && page.items.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                No credentials match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <nav class="pager" aria-label="Credential pages">
        <button type="button" disabled={!props.onPrevious} onClick={props.onPrevious}>
          Previous
        </button>
        <span>Page {props.pageNumber}</span>
        <button type="button" disabled={!props.onNext} onClick={props.onNext}>
          Next
        </button>
      </nav>
    </>
  );
}
