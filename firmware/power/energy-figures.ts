// The charge figures behind the scheduler's defaults, and where they come from.
//
// Units: µAs (µA × s), the charge drawn from the cell; 1 µAh = 3,600 µAs. The
// budget is kept in charge because the cell is rated in mAh; at a Li-Po's
// nearly constant voltage, charge and energy are proportional.
//
// Currents (the simulator's power model cites the same, sim/power/current-catalogue.ts):
//  [PUCK]  Puck.js board documentation (docs/espruino-subset.md, "Puck.js
//          currents"): JS at 100 % CPU 4 mA; one LED 1–2 mA; connected at the
//          default interval 600 µA.
//  [N52PS] nRF52832 Product Specification v1.1, radio: TX at 0 dBm, 1 Mb/s 7.1 mA.
//  [NFCT]  Nordic DevZone 87403: the nRF52's NFC tag peripheral in a field ~500 µA.
//  [ERM]   10 mm coin vibration motor, 70 mA at 3 V (low end of 70–120 mA).
//  [SE?]   UNVERIFIED placeholders for a PN7150/SN1x0-class NFC controller with an
//          embedded secure element: SE processing APDUs 8 mA, controller in card
//          emulation with a reader's field 5 mA. No data-sheet current table was at
//          hand; these are the largest uncertainty in the budget.
// Durations (assumptions, stated so they can be measured and replaced):
//  - a tap's field session 1 s: contactless taps are commonly quoted at under
//    half a second, doubled for the reader polling before and after; the SE is
//    powered for the whole session (the payment session: from the field until it goes);
//  - 200 ms of JavaScript per tap (NCI notifications, the session machine);
//  - feedback: a 100 ms haptic pulse and an LED for 1.5 s (the strap's flashes are
//    shorter today: green 200 ms, red 500 ms);
//  - the tap's BLE notice pays a whole radio window (below) on its own: taps are
//    usually minutes apart, so batching is not counted on for the reserve.

const MS = 1 / 1000;

/** The SE processing the tap's APDUs: [SE?] 8 mA × 1 s. */
export const TAP_SE_UAS = 8000 * 1000 * MS;
/** The NFC controller in card emulation [SE?] 5 mA, and the nRF52's own tag sensing the field [NFCT] 0.5 mA, for 1 s. */
export const TAP_NFC_FIELD_UAS = (5000 + 500) * 1000 * MS;
/** JavaScript handling the tap: [PUCK] 4 mA × 200 ms. */
export const TAP_CPU_UAS = 4000 * 200 * MS;
/** Feedback: haptic [ERM] 70 mA × 100 ms, LED [PUCK] 1.5 mA × 1.5 s. */
export const TAP_FEEDBACK_UAS = 70000 * 100 * MS + 1500 * 1500 * MS;

/**
 * A radio window's fixed cost, paid once per batch: waking the link and
 * connecting at the default interval, [PUCK] 600 µA for 2 s, and 200 ms of
 * JavaScript setting it up, [PUCK] 4 mA.
 */
export const WINDOW_OVERHEAD_UAS = 600 * 2000 * MS + 4000 * 200 * MS;
/**
 * One notification on an open link: a connection event's TX and RX [N52PS]
 * (7.1 mA for well under a millisecond, ~5 µAs) and ~25 ms of JavaScript
 * building it [PUCK] (4 mA): rounded up to 100 µAs.
 */
export const BLE_NOTIFICATION_UAS = 100;
/** A tap's BLE notice to the phone, as the reserve counts it: a window of its own and the notification. */
export const TAP_NOTICE_UAS = WINDOW_OVERHEAD_UAS + BLE_NOTIFICATION_UAS;

/** One payment as the reserve counts it: 25,650 µAs ≈ 7.1 µAh. */
export const TAP_UAS = TAP_SE_UAS + TAP_NFC_FIELD_UAS + TAP_CPU_UAS + TAP_FEEDBACK_UAS + TAP_NOTICE_UAS;

/**
 * Peak current while the SE works, for the brownout guard: SE 8 mA, NFC
 * controller 5 mA, NFC tag 0.5 mA, CPU 4 mA, a BLE radio event that may
 * coincide 7.1 mA, the processing LED 1.5 mA. The haptic motor (70 mA) is not
 * in it: the payment session runs the haptic after the SE is powered down;
 * check it separately (scheduler.seOperationSafe(74)).
 */
export const SE_PEAK_MA = 8 + 5 + 0.5 + 4 + 7.1 + 1.5;
