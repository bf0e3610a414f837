// The capture pickers: camera, microphone, resolution and frame rate, saved with settings.update({capture}).
import type { CaptureSettings } from '../../../../shared/settings';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { useAction } from '../../ui/useAction';
import { frameRateChoices, resolutionChoices, resolutionKey } from './capture-presets';
import type { DeviceOption } from './studio-session';

interface CaptureControlsProps {
  capture: CaptureSettings;
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  /** Off while a stream starts or runs: the encoder was started with these values. */
  editable: boolean;
  onChange: (patch: Partial<CaptureSettings>) => Promise<void>;
}

export function CaptureControls({ capture, cameras, microphones, editable, onChange }: CaptureControlsProps) {
  const save = useAction();
  const change = (patch: Partial<CaptureSettings>) => void save.run(() => onChange(patch));
  const resolutions = resolutionChoices(capture);
  const disabled = !editable || save.pending;
  return (
    <div className="capture-controls">
      <Field label="Camera">
        {(control) => (
          <select {...control} disabled={disabled} value={capture.videoDeviceId ?? ''} onChange={(event) => change({ videoDeviceId: event.target.value || null })}>
            <option value="">Default camera</option>
            {cameras.map((device) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Microphone">
        {(control) => (
          <select {...control} disabled={disabled} value={capture.audioDeviceId ?? ''} onChange={(event) => change({ audioDeviceId: event.target.value || null })}>
            <option value="">Default microphone</option>
            {microphones.map((device) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Resolution" hint="The camera's nearest size is used when it cannot give this one.">
        {(control) => (
          <select
            {...control}
            disabled={disabled}
            value={resolutionKey(capture)}
            onChange={(event) => {
              const chosen = resolutions.find((resolution) => resolutionKey(resolution) === event.target.value);
              if (chosen) change({ width: chosen.width, height: chosen.height });
            }}
          >
            {resolutions.map((resolution) => (
              <option key={resolutionKey(resolution)} value={resolutionKey(resolution)}>
                {resolution.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Frame rate">
        {(control) => (
          <select {...control} disabled={disabled} value={capture.frameRate} onChange={(event) => change({ frameRate: Number(event.target.value) })}>
            {frameRateChoices(capture.frameRate).map((rate) => (
              <option key={rate} value={rate}>
                {rate} fps
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorNotice error={save.error} title="The capture settings were not saved" onDismiss={save.clearError} />
    </div>
  );
}
