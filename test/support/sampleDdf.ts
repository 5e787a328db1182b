// A small DDF file (OMA LwM2M Core TS 1.1.1 Appendix D) for tests that upload models: one object
// with a readable float, a writable integer with a range and units, an executable, and a writable
// multiple-instance integer.

/** The DDF text of object `id` named `name` at object version `version`. */
export function sampleDdf(id: number, name: string, version = '1.0'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<LWM2M>
<Object ObjectType="MODefinition">
<Name>${name}</Name>
<Description1>A test object uploaded at run time.</Description1>
<ObjectID>${id}</ObjectID>
<ObjectURN>urn:oma:lwm2m:x:${id}:${version}</ObjectURN>
<LWM2MVersion>1.1</LWM2MVersion>
<ObjectVersion>${version}</ObjectVersion>
<MultipleInstances>Multiple</MultipleInstances>
<Mandatory>Optional</Mandatory>
<Resources>
<Item ID="0"><Name>Level</Name><Operations>R</Operations><MultipleInstances>Single</MultipleInstances>
<Mandatory>Mandatory</Mandatory><Type>Float</Type><RangeEnumeration></RangeEnumeration><Units>m</Units>
<Description>Measured level</Description></Item>
<Item ID="1"><Name>Setpoint</Name><Operations>RW</Operations><MultipleInstances>Single</MultipleInstances>
<Mandatory>Optional</Mandatory><Type>Integer</Type><RangeEnumeration>0..100</RangeEnumeration><Units>%</Units>
<Description>Wanted level</Description></Item>
<Item ID="2"><Name>Flush</Name><Operations>E</Operations><MultipleInstances>Single</MultipleInstances>
<Mandatory>Optional</Mandatory><Type></Type><RangeEnumeration></RangeEnumeration><Units></Units>
<Description>Empties the tank</Description></Item>
<Item ID="3"><Name>Thresholds</Name><Operations>RW</Operations><MultipleInstances>Multiple</MultipleInstances>
<Mandatory>Optional</Mandatory><Type>Integer</Type><RangeEnumeration></RangeEnumeration><Units>%</Units>
<Description>Levels that raise an alarm</Description></Item>
</Resources>
<Description2></Description2>
</Object>
</LWM2M>
`;
}
