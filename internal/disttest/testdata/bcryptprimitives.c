/*
 * A stand-in for Windows' bcryptprimitives.dll, for the Wine prefix of the
 * artefact tests only (never shipped). Go 1.22 and later load ProcessPrng
 * from bcryptprimitives.dll at start-up (runtime: "fatal error:
 * bcryptprimitives.dll not found"); Windows 10 and 11 have it, Debian 12's
 * Wine 8.0 does not. This one answers ProcessPrng from RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. disttest compiles it with
 * x86_64-w64-mingw32-gcc into the prefix's system32.
 */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T n) {
	while (n > 0) {
		ULONG k = n > 0x40000000 ? 0x40000000 : (ULONG)n;
		if (!RtlGenRandom(data, k)) return FALSE;
		data += k; n -= k;
	}
	return TRUE;
}
