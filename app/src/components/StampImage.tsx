import { useState } from "react";
import { useAppConfig } from "../context.js";

/** An image a browser can load: http(s) and data URIs as they are, ipfs:// through the configured gateway. */
function loadable(uri: string | undefined, gateway: string | undefined): string | undefined {
  if (!uri) return undefined;
  if (/^(https?:|data:image\/)/.test(uri)) return uri;
  if (uri.startsWith("ipfs://") && gateway) return `${gateway.replace(/\/$/, "")}/${uri.slice("ipfs://".length)}`;
  return undefined;
}

/**
 * A stamp's picture; where the image cannot be loaded (an ipfs:// URI with no gateway configured, or offline)
 * a drawn card with the series' initials and the edition stands in, so the collection never shows a broken image.
 */
export function StampImage({ uri, name, edition }: { uri: string | undefined; name: string; edition: bigint }) {
  const { ipfsGateway } = useAppConfig();
  const src = loadable(uri, ipfsGateway);
  const [failed, setFailed] = useState(false);
  if (src && !failed) return <img className="stamp-image" src={src} alt={name} onError={() => setFailed(true)} />;
  const initials = name
    .split(/\s+/)
    .filter((word) => /^[A-Za-z]/.test(word))
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join("");
  return (
    <svg className="stamp-image" viewBox="0 0 120 120" role="img" aria-label={name}>
      <rect width="120" height="120" rx="16" fill="#14352a" />
      <circle cx="60" cy="52" r="34" fill="none" stroke="#f3d9a4" strokeWidth="4" strokeDasharray="6 5" />
      <text x="60" y="64" textAnchor="middle" fontSize="32" fontWeight="700" fill="#f3d9a4">
        {initials}
      </text>
      <text x="60" y="108" textAnchor="middle" fontSize="14" fill="#ffffff">
        #{edition.toString()}
      </text>
    </svg>
  );
}
