/** What the flasher reports as it goes (FlashOptions.onProgress), and what the progress bar draws. */
export interface FlashProgress {
  phase: 'identify' | 'prepare' | 'upload' | 'verify' | 'activate' | 'reset' | 'banner';
  sentBytes: number;
  totalBytes: number;
}
