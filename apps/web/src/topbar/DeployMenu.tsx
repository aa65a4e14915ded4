import { useEffect, useRef, useState } from 'react';
import type { FlinkAvailability } from '@eddy/shared';
import { api } from '../api/client';
import { deploy } from '../actions';

/**
 * The Deploy split button: the button deploys on the embedded engine; the ▾ offers Embedded or
 * Flink. Flink is disabled, with the server's reason, when no SQL Gateway is configured or answers.
 */
export function DeployMenu({ problems }: { problems: number }) {
  const [open, setOpen] = useState(false);
  const [flink, setFlink] = useState<FlinkAvailability | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    setFlink(null);
    api.flink().then(setFlink, (err: Error) => setFlink({ configured: false, gatewayUrl: null, webUrl: null, reachable: false, reason: err.message }));
    const close = (e: MouseEvent) => { if (!ref.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const flinkReady = !!flink && flink.configured && flink.reachable;
  return (
    <div className="menu split-button" ref={ref}>
      <button className="primary" onClick={() => void deploy()} data-testid="deploy" title={problems ? `${problems} problems` : 'Deploy on the embedded engine'}>Deploy</button>
      <button className="primary caret" onClick={() => setOpen(!open)} data-testid="deploy-menu" aria-label="Choose where to deploy" title="Deploy on…">▾</button>
      {open && (
        <div className="menu-panel deploy-targets" data-testid="deploy-targets">
          <button className="menu-item" data-testid="deploy-target-embedded" onClick={() => { setOpen(false); void deploy('embedded'); }}>
            <span><strong>Embedded</strong><br /><span className="muted">in this Eddy server</span></span>
          </button>
          <button className="menu-item" data-testid="deploy-target-flink" disabled={!flinkReady} title={flink?.reason ?? undefined}
            onClick={() => { setOpen(false); void deploy('flink'); }}>
            <span><strong>Flink</strong><br />
              <span className="muted" data-testid="flink-target-note">
                {flink === null ? 'asking the server…' : flinkReady ? `one Flink job through the SQL Gateway at ${flink.gatewayUrl}` : flink.reason}
              </span>
            </span>
          </button>
        </div>
      )}
    </div>
  );
}
