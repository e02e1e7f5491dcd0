// A destructive action that asks once more in place instead of a blocking window.confirm.
import { useEffect, useState } from 'react';

interface Props {
  label: string;
  confirmLabel?: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
}

export function ConfirmButton({ label, confirmLabel = 'Confirm', onConfirm, disabled, className = 'btn btn-small btn-danger' }: Props) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(t);
  }, [armed]);
  return armed ? (
    <span className="confirm">
      <button type="button" className={className} disabled={disabled} onClick={() => { setArmed(false); onConfirm(); }}>
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  ) : (
    <button type="button" className={className} disabled={disabled} onClick={() => setArmed(true)}>
      {label}
    </button>
  );
}
