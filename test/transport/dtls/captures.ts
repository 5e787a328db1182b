// Golden DTLS 1.2 handshake captures (research/dtls.md Appendix A), one datagram per entry, with
// PSK 73656372657450534b ("secretPSK") and identity "id1", TLS_PSK_WITH_AES_128_CCM_8, EMS.
// A1: Wakaama's tinydtls 0.8.6 client -> OpenSSL 3.0.19 s_server; datagram 9 is a CoAP Register.
// A2: mbedTLS 3.5.2 ssl_client2 -> ssl_server2 with RFC 9146 CIDs: c0ffee01 (4 bytes) on records to
// the server, abcd (2 bytes) on records to the client; datagram 7 is application data.

/** One captured datagram and its direction. */
export interface CapturedDatagram {
  readonly from: 'client' | 'server';
  readonly hex: string;
}

/** The pre-shared key and identity of both captures. */
export const CAPTURE_PSK = Buffer.from('73656372657450534b', 'hex');
export const CAPTURE_IDENTITY = 'id1';
/** CID lengths of capture A2, as each receiver parses them. */
export const A2_SERVER_CID_LENGTH = 4;
export const A2_CLIENT_CID_LENGTH = 2;

/** The bytes of a captured datagram. */
export const bytesOf = (d: CapturedDatagram): Uint8Array => Uint8Array.from(Buffer.from(d.hex, 'hex'));

export const CAPTURE_A1: readonly CapturedDatagram[] = [
  {
    from: 'client',
    hex:
      '16feff0000000000000000003c010000300000000000000030fefd4e2691b7e3b9088d5b3bb61eebc01d49539d324b16' +
      '3ffed02ea98a1e8b03397600000002c0a80100000400170000',
  },
  {
    from: 'server',
    hex: '16feff00000000000000000023030000170000000000000017feff146ab0b48f032b906ddbb7c05b2ad6244f56fedff4',
  },
  {
    from: 'client',
    hex:
      '16feff00000000000000010050010000440001000000000044fefd4e2691b7e3b9088d5b3bb61eebc01d49539d324b16' +
      '3ffed02ea98a1e8b03397600146ab0b48f032b906ddbb7c05b2ad6244f56fedff40002c0a80100000400170000',
  },
  {
    from: 'server',
    hex:
      '16fefd000000000000000100580200004c000100000000004cfefd0dc711cbf2b80abdb9f08bffd0c0b626547ea02c0e' +
      '071df2bc2733c7bb9b8ec72075f0abad00caccc3c9d8f9136f37c299e9c5cf435c22a298d70e916a148873a7c0a80000' +
      '040017000016fefd0000000000000002000c0e0000000002000000000000',
  },
  {
    from: 'client',
    hex: '16fefd000000000000000200111000000500020000000000050003696431',
  },
  {
    from: 'client',
    hex: '14fefd0000000000000003000101',
  },
  {
    from: 'client',
    hex:
      '16fefd000100000000000000280001000000000000678a1e2ebba2b678974e548d3ddf07750bcac4945fabfa44b7837a' +
      '9e58acfd8d',
  },
  {
    from: 'server',
    hex:
      '14fefd000000000000000300010116fefd0001000000000000002800010000000000000828e4916f056ff75febc116ba' +
      'acb004565c2f86016d100068f0b40a53cb6835',
  },
  {
    from: 'client',
    hex:
      '17fefd000100000000000100c8000100000000000139f4a204a33ff4f5807f7129508a43aabdc02cc7352d95beaec7ba' +
      '745b1fa8bcb5b01f9fb18fc9af3dffc5ea6f04c51d92836632b6f1cb1357c2f4afe48be91f77b0e93cd2368ae1e4bd2e' +
      'ab8100f29d6f1210a24ece15a2fce550e9b35345eb6952d278d487ce1bb9851050aef73ddc7b1b4a4dcd6d8e0be11ffd' +
      'e3a161f0f0dae2f9170c446f098b1effd969d4d3083e2a1b534cd28bd045297993f1719dd76c01509942c5a66cd7f081' +
      '0198e38a33fcc196efe2363f7a583848fd37aef823',
  },
];

export const CAPTURE_A2: readonly CapturedDatagram[] = [
  {
    from: 'client',
    hex:
      '16fefd00000000000000000071010000650000000000000065fefd6b1011618286f8d75155d31438364aa5d1de1335b5' +
      '3d12f94a207a804a69fc1e00000004c0a800ff010000370000000e000c0000096c6f63616c686f7374000d000e000c06' +
      '03060105030501040304010036000302abcd001600000017000000230000',
  },
  {
    from: 'server',
    hex:
      '16fefd0000000000000000002f030000230000000000000023fefd206b101161a096ae4193f52122044bb6fd81f81a3d' +
      '224ebd1addfc0d6b0ddaec20',
  },
  {
    from: 'client',
    hex:
      '16fefd00000000000000010091010000850001000000000085fefd6b1011618286f8d75155d31438364aa5d1de1335b5' +
      '3d12f94a207a804a69fc1e00206b101161a096ae4193f52122044bb6fd81f81a3d224ebd1addfc0d6b0ddaec200004c0' +
      'a800ff010000370000000e000c0000096c6f63616c686f7374000d000e000c0603060105030501040304010036000302' +
      'abcd001600000017000000230000',
  },
  {
    from: 'server',
    hex:
      '16fefd0000000000000001004a0200003e000100000000003efefd6b101161909edd943288ecd2da516ea8f6596dd275' +
      '4447bf03d7b30c5060f72700c0a8000016ff010001000036000504c0ffee01001700000023000016fefd000000000000' +
      '0002000c0e0000000002000000000000',
  },
  {
    from: 'client',
    hex:
      '16fefd00000000000000020011100000050002000000000005000369643114fefd000000000000000300010119fefd00' +
      '01000000000000c0ffee0100300001000000000000e888672ea9b9ceb9c6133683c158229d2e90e14be23d3c36b8bf6f' +
      'e5a4202e3fcd830f1d3f927a74',
  },
  {
    from: 'server',
    hex:
      '16fefd000000000000000300a50400009900030000000000990001518000930ce036d4bd5bd1b514f5c4bb732bee2200' +
      '71a6c437746ac77a31fddb56efa45a7ce796efbc29462c65a71827eff6dfa24e205e1bb3c952c93d85755e2d9c7d40f5' +
      '7277eeba02705fe712af391e62fc453825122a82c97502245dbb6f0cd850af5abf59ef2cb2e87365fdfbb7c9e456ce95' +
      'b71c885051ec2aba113e44148ff01b0740b36516662ba7f085573e580a8ce369f61014fefd0000000000000004000101' +
      '19fefd0001000000000000abcd003000010000000000004e0ebb80757f327c8bbfc942e4e79093bdf4dd7a55b3de25ce' +
      '8ef7ff6252138f2cff2f5c774f694f',
  },
  {
    from: 'client',
    hex:
      '19fefd0001000000000001c0ffee010040000100000000000164b0f2990ff986b5eb24a29f34ddc470fe8021c12fba42' +
      '3a5a4320896caa0981a5e58dff80fef3708e2e1cad12d22362ac0b445fa67dee38',
  },
];
