import { type ChangeEvent, useEffect, useId, useState } from 'react';
import { type Problem, problemOf } from '../api/problem.js';
import { ProblemMessage } from '../ui/components.js';
import { CARD_TYPES, cardFileProblem, uploadCard } from './patientApi.js';

type Props = {
  token: string;
  side: 'front' | 'back';
  alreadyUploaded: boolean;
  onUploaded(): void;
  /** A refusal about the link itself (expired, used) ends the whole page. */
  onLinkProblem(problem: Problem): boolean;
};

type Upload =
  | { state: 'idle' }
  | { state: 'uploading'; fraction: number }
  | { state: 'done' }
  | { state: 'failed'; problem: Problem };

/** Choose a photo of one side of the card: a preview at once, then the upload with its progress. */
export const CardUpload = ({ token, side, alreadyUploaded, onUploaded, onLinkProblem }: Props) => {
  const id = useId();
  const [preview, setPreview] = useState<{ url: string | null; name: string } | null>(null);
  const [upload, setUpload] = useState<Upload>(alreadyUploaded ? { state: 'done' } : { state: 'idle' });

  useEffect(
    () => () => {
      if (preview?.url) URL.revokeObjectURL(preview.url);
    },
    [preview],
  );

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const wrong = cardFileProblem(file);
    if (wrong) {
      setPreview(null);
      setUpload({
        state: 'failed',
        problem: { status: 0, title: 'This file cannot be used', detail: wrong },
      });
      return;
    }
    setPreview({ url: file.type.startsWith('image/') ? URL.createObjectURL(file) : null, name: file.name });
    setUpload({ state: 'uploading', fraction: 0 });
    try {
      await uploadCard(token, side, file, (fraction) => setUpload({ state: 'uploading', fraction }));
      setUpload({ state: 'done' });
      onUploaded();
    } catch (error) {
      const problem = problemOf(error);
      if (!onLinkProblem(problem)) setUpload({ state: 'failed', problem });
    }
  };

  const label = side === 'front' ? 'Front of your insurance card' : 'Back of your insurance card';
  const percent =
    upload.state === 'uploading' ? Math.round(upload.fraction * 100) : upload.state === 'done' ? 100 : 0;
  return (
    <div className="card-upload">
      <label htmlFor={`${id}-file`}>{label}</label>
      <input
        id={`${id}-file`}
        type="file"
        accept={CARD_TYPES.join(',')}
        aria-describedby={`${id}-status`}
        onChange={choose}
      />
      {preview ? (
        preview.url ? (
          <img className="card-preview" src={preview.url} alt={`Preview of the ${side} of your card`} />
        ) : (
          <p className="muted">PDF: {preview.name}</p>
        )
      ) : null}
      <div id={`${id}-status`} role="status" className="upload-status">
        {upload.state === 'uploading' ? (
          <>
            <progress max={100} value={percent} aria-label={`Uploading the ${side}`} /> Uploading… {percent}%
          </>
        ) : upload.state === 'done' ? (
          <span className="success-text">✓ The {side} of your card is uploaded.</span>
        ) : null}
      </div>
      {upload.state === 'failed' ? <ProblemMessage problem={upload.problem} /> : null}
    </div>
  );
};
