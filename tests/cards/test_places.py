from certscan.cards import places
from certscan.cards.places import fix_place_prefix


def test_one_wrong_character_in_a_listed_division_name_is_repaired() -> None:
    assert fix_place_prefix("西藏白治区山南市加查县迁来") == "西藏自治区山南市加查县迁来"
    assert (
        fix_place_prefix("河南省南阳市浙川县白沙街道胜利南路3号") == "河南省南阳市淅川县白沙街道胜利南路3号"
    )


def test_text_outside_the_division_names_is_left_as_read() -> None:
    assert fix_place_prefix("北京市朝阳区人民路1号") == "北京市朝阳区人民路1号"
    assert (
        fix_place_prefix("新疆维吾尔自治区阿克苏地区库率") == "新疆维吾尔自治区阿克苏地区库率"
    )  # two chars off
    assert fix_place_prefix("郑州市农业路72号") == "郑州市农业路72号"
    assert fix_place_prefix("") == ""


def test_a_character_dropped_inside_a_county_name_is_restored() -> None:
    assert fix_place_prefix("广东省梅州市蕉县双河乡白沙村6号") == "广东省梅州市蕉岭县双河乡白沙村6号"
    assert fix_place_prefix("河南省许昌市陵县张家镇") == "河南省许昌市鄢陵县张家镇"


def test_a_dropped_suffix_is_not_invented() -> None:
    # 解放区 is a district of 焦作: a street named 解放路 right after the city keeps its own name
    assert fix_place_prefix("河南省焦作市解放路8号") == "河南省焦作市解放路8号"


def test_a_listed_city_at_the_start_is_not_a_province_misread() -> None:
    assert fix_place_prefix("北镇市广宁街道富屯路8号") == "北镇市广宁街道富屯路8号"
    assert fix_place_prefix("威海市环翠区新威路1号") == "威海市环翠区新威路1号"


def test_a_long_autonomous_name_read_with_two_slips_is_repaired() -> None:
    assert fix_place_prefix("青海省海西蒙古旅藏族白治州") == "青海省海西蒙古族藏族自治州"
    assert fix_place_prefix("新疆维吾尔白治区克孜勒苏柯尔克汝自治州阿图什市") == \
        "新疆维吾尔自治区克孜勒苏柯尔克孜自治州阿图什市"
    # too many slips for its length: left as read
    assert fix_place_prefix("云南省德宏体旅景校旅自涂州") == "云南省德宏体旅景校旅自涂州"


def test_a_value_ending_in_a_name_that_lost_its_last_character() -> None:
    assert fix_place_prefix("内蒙古自治区锡林郭勒") == "内蒙古自治区锡林郭勒盟"
    assert fix_place_prefix("内蒙古自治区锡林郭勒路") == "内蒙古自治区锡林郭勒路"


def test_a_slip_in_a_long_name_wins_over_one_in_a_short_name_it_begins_like() -> None:
    # 恩施土 is one character from 恩施市 too; ten characters agree with the prefecture
    read = "湖北省恩施土家族苗族白治州来风县大营镇"
    assert fix_place_prefix(read) == "湖北省恩施土家族苗族自治州来凤县大营镇"


def test_a_two_character_county_with_its_level_character_read() -> None:
    assert fix_place_prefix("山东省日照市昌县新华东路373号") == "山东省日照市莒县新华东路373号"
    assert fix_place_prefix("山东省日照市昌平路3号") == "山东省日照市昌平路3号"  # no county named
    assert fix_place_prefix("河北省保定市水县梨园街道") == "河北省保定市涞水县梨园街道"  # 涞 lost, not 易县


def test_a_slip_several_names_fit_is_decided_by_the_division_named_next() -> None:
    # 聊城市, 邹城市 and 诸城市 are each one character off; 阳谷县 lies in 聊城市
    assert fix_place_prefix("山东省辆城市阳谷县红星镇") == "山东省聊城市阳谷县红星镇"
    assert fix_place_prefix("浙江省街州市江山市胜利大道") == "浙江省衢州市江山市胜利大道"
    assert fix_place_prefix("山东省辆城市胜利路") == "山东省辆城市胜利路"  # nothing named next: as read


def test_a_province_that_lost_its_head_is_named_by_the_city_after_it() -> None:
    assert fix_place_prefix("省常德市路城区延安西路168号") == "湖南省常德市鼎城区延安西路168号"
    assert fix_place_prefix("南省常德市鼎城区") == "湖南省常德市鼎城区"
    assert fix_place_prefix("市朝阳区建国路1号") == "市朝阳区建国路1号"  # no city named: as read
    assert fix_place_prefix("省中山路1号") == "省中山路1号"


def test_a_city_read_with_two_slips_is_named_by_the_county_after_it() -> None:
    # 民乐县 is listed once in 甘肃省, under 张掖市; the read keeps the city's length and 市
    assert fix_place_prefix("甘肃省休技市民乐县桃园镇前进村") == "甘肃省张掖市民乐县桃园镇前进村"
    assert fix_place_prefix("甘肃省休技路民乐县") == "甘肃省休技路民乐县"


def test_a_city_that_lost_characters_is_named_by_the_county_after_it() -> None:
    # 荆门市 read 期市, 娄底市 read as its 市 alone; the county after it (涟源市 with one slip) places it
    assert fix_place_prefix("湖北省期市京山县兴隆乡安乐村4组31号") == "湖北省荆门市京山县兴隆乡安乐村4组31号"
    assert fix_place_prefix("湖南省市连源市建设东路675号") == "湖南省娄底市涟源市建设东路675号"
    # a county read exactly outweighs ones a slip away (民乐县 read: not 民勤县 of 武威市)
    assert fix_place_prefix("甘肃省技市民乐县") == "甘肃省张掖市民乐县"
    assert fix_place_prefix("湖南省市建设东路675号") == "湖南省市建设东路675号"  # no county: as read


def test_self_governing_read_with_a_stroke_lost() -> None:
    company = "克孜勒苏柯尔克孜白治州正泰食品有限公司"
    assert places.self_governing(company) == "克孜勒苏柯尔克孜自治州正泰食品有限公司"
    assert places.self_governing("白治平") == "白治平"  # a name, no division after it


def test_township_read_as_a_look_alike_before_its_village() -> None:
    assert places.township("安徽省安庆市望江县永安务张家村1组63号") == \
        "安徽省安庆市望江县永安乡张家村1组63号"
    assert places.township("江西省抚州市广昌县东城鱼北苑村261号") == "江西省抚州市广昌县东城乡北苑村261号"
    assert places.township("北京市朝阳区多宝路5号") == "北京市朝阳区多宝路5号"  # no village follows


def test_plate_province_is_the_plate_character_of_the_address_province() -> None:
    assert places.plate_province("河北省保定市蠡县") == "冀"
    assert places.plate_province("内蒙古自治区包头市") == "蒙"
    assert places.plate_province("香港特别行政区") == ""
    assert places.plate_province("解放路5号") == ""


def test_a_long_autonomous_name_read_with_a_slip_per_three_characters() -> None:
    # 族 misread and an ethnic group's rare character lost (漾濞彝族 read 漾清族, 自治 read 白治)
    assert fix_place_prefix("广西社旅自治区河池市大化理放自治县团结东路622号") == (
        "广西壮族自治区河池市大化瑶族自治县团结东路622号")
    assert fix_place_prefix("云南省大理白族自治州漾清族白治县平安街道") == (
        "云南省大理白族自治州漾濞彝族自治县平安街道")
    assert fix_place_prefix("云南省楚族自治州禁雄市高桥乡") == "云南省楚雄彝族自治州楚雄市高桥乡"
    # three slips in seven characters are too many
    assert fix_place_prefix("广西社旅白冶区南宁市") == "广西社旅白冶区南宁市"
