import { type ChangeEvent, useEffect, useState } from 'react';
import { type Problem, problemOf } from '../../api/problem.js';
import { ProblemMessage } from '../../ui/components.js';
import { ID_TYPES, idFileProblem, uploadIdDocument } from '../patientApi.js';

type DocumentType = 'passport' | 'driving_licence';
type Upload =
  | { state: 'idle' }
  | { state: 'uploading'; fraction: number }
  | { state: 'done' }
  | { state: 'failed'; problem: Problem };

const NAMES: Record<DocumentType, string> = { passport: 'passport', driving_licence: 'driving licence' };

/** Phase 4 after the electronic check could not confirm who the patient is: a photo ID, with preview and progress. */
export const IdDocumentUpload = ({
  consultationId,
  token,
  onUploaded,
}: {
  consultationId: string;
  token: string;
  onUploaded(): void;
}) => {
  const [type, setType] = useState<DocumentType>('passport');
  const [preview, setPreview] = useState<{ url: string | null; name: string } | null>(null);
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });

  useEffect(
    () => () => {
      if (preview?.url) URL.revokeObjectURL(preview.url);
    },
    [preview],
  );

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const wrong = idFileProblem(file);
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
      await uploadIdDocument(consultationId, token, type, file, (fraction) =>
        setUpload({ state: 'uploading', fraction }),
      );
      setUpload({ state: 'done' });
      onUploaded();
    } catch (error) {
      setUpload({ state: 'failed', problem: problemOf(error) });
    }
  };

  const percent =
    upload.state === 'uploading' ? Math.round(upload.fraction * 100) : upload.state === 'done' ? 100 : 0;
  return (
    <section className="card" aria-labelledby="id-heading">
      <h2 id="id-heading">Upload a photo of your ID</h2>
      <p>
        We could not confirm your identity from your details alone. Upload a clear photo of your passport
        photo page or your driving licence; our team checks it, usually the same day.
      </p>
      <fieldset>
        <legend>Which document?</legend>
        {(Object.keys(NAMES) as DocumentType[]).map((value) => (
          <div className="choice" key={value}>
            <input
              type="radio"
              id={`id-type-${value}`}
              name="id-type"
              checked={type === value}
              disabled={upload.state === 'uploading' || upload.state === 'done'}
              onChange={() => setType(value)}
            />
            <label htmlFor={`id-type-${value}`}>
              {NAMES[value].charAt(0).toUpperCase() + NAMES[value].slice(1)}
            </label>
          </div>
        ))}
      </fieldset>
      <div className="card-upload">
        <label htmlFor="id-file">Photo of your {NAMES[type]}</label>
        <p className="hint" id="id-file-hint">
          JPEG, PNG or PDF, up to 10 MB.
        </p>
        <input
          id="id-file"
          type="file"
          accept={ID_TYPES.join(',')}
          aria-describedby="id-file-hint id-upload-status"
          disabled={upload.state === 'uploading' || upload.state === 'done'}
          onChange={choose}
        />
        {preview ? (
          preview.url ? (
            <img className="card-preview" src={preview.url} alt={`Preview of your ${NAMES[type]}`} />
          ) : (
            <p className="muted">PDF: {preview.name}</p>
          )
        ) : null}
        <div id="id-upload-status" role="status" className="upload-status">
          {upload.state === 'uploading' ? (
            <>
              <progress max={100} value={percent} aria-label="Uploading your ID" /> Uploading… {percent}%
            </>
          ) : upload.state === 'done' ? (
            <span className="success-text">
              ✓ Your ID is uploaded. We will be in touch if we need anything else.
            </span>
          ) : null}
        </div>
        {upload.state === 'failed' ? <ProblemMessage problem={upload.problem} /> : null}
      </div>
    </section>
  );
};
